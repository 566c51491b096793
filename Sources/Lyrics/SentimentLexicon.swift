import Foundation

/// The VADER sentiment lexicon (Hutto & Gilbert, 2014; MIT licence): about 7,500 words,
/// emoticons and slang, each with a mean valence rated by ten people on −4…+4.
/// `scripts/setup` fetches it from its author's package on PyPI (vaderSentiment 3.3.2);
/// it is data, not code: only its first two columns are read.
public struct SentimentLexicon: Sendable {
    public let valences: [String: Double]
    public let path: String

    /// `$LOFI_LEXICON`, then `$LOFI_DATA/vader_lexicon.txt`, `~/.local/share/lofi-render/`,
    /// `/usr/local/share/lofi-render/`.
    public static var searchPaths: [String] {
        let env = ProcessInfo.processInfo.environment
        var paths: [String] = []
        if let p = env["LOFI_LEXICON"], !p.isEmpty { paths.append(p) }
        if let d = env["LOFI_DATA"], !d.isEmpty { paths.append(d + "/vader_lexicon.txt") }
        let home = env["HOME"] ?? NSHomeDirectory()
        paths.append(home + "/.local/share/lofi-render/vader_lexicon.txt")
        paths.append("/usr/local/share/lofi-render/vader_lexicon.txt")
        return paths
    }

    /// The lexicon is ~430 KB; anything much larger is not it.
    static let maxBytes = 8 << 20

    /// Reads a lexicon file: lines of `token<TAB>mean<TAB>…`; malformed lines are an error
    /// naming the line, not skipped, so a damaged download is noticed.
    public init(path: String) throws(LyricsError) {
        guard let data = FileManager.default.contents(atPath: path) else { throw LyricsError("\(path): cannot read the sentiment lexicon") }
        guard data.count <= Self.maxBytes else { throw LyricsError("\(path): \(data.count) bytes is too large for the VADER lexicon") }
        guard let text = String(validating: data, as: UTF8.self) else { throw LyricsError("\(path): the sentiment lexicon is not UTF-8") }
        var v: [String: Double] = [:]
        for (n, line) in text.split(whereSeparator: \.isNewline).enumerated() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 2, let x = Double(fields[1]), x.isFinite, (-4...4).contains(x) else {
                throw LyricsError("\(path):\(n + 1): expected 'token<TAB>valence in -4…4'")
            }
            v[String(fields[0])] = x
        }
        guard v.count >= 1000 else { throw LyricsError("\(path): only \(v.count) entries; the VADER lexicon has about 7,500") }
        valences = v
        self.path = path
    }

    /// The lexicon from the first search path that exists, loaded once per process.
    public static func installed() throws(LyricsError) -> SentimentLexicon {
        lock.lock()
        defer { lock.unlock() }
        if let shared { return shared }
        guard let path = searchPaths.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw LyricsError("the VADER sentiment lexicon is not installed (looked in \(searchPaths.joined(separator: ", "))); run scripts/setup, or set LOFI_LEXICON")
        }
        let l = try SentimentLexicon(path: path)
        shared = l
        return l
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var shared: SentimentLexicon?

    public subscript(word: String) -> Double? { valences[word] }
}
