import CHyphen
import Foundation

/// One language's hyphenation patterns (Liang's algorithm through libhyphen), loaded from
/// the `hyph_<language>.dic` files Debian's `hyphen-*` packages install.
///
/// The dictionaries carry TeX's typesetting minimums (no break within two letters of the
/// start or three of the end), which would leave "a-bout" and "heav-en" whole; syllables
/// need every break, so both minimums are lowered to one. The spurious breaks that lets
/// through ("s-mile", "rhyth-m") have no vowel on one side and are merged back by
/// `Syllabifier`.
public final class HyphenationPatterns: @unchecked Sendable {
    // The dictionary is read-only after loading; libhyphen's hyphenate call keeps its
    // working state on the stack, so one dictionary serves every thread.
    private let dictionary: UnsafeMutablePointer<HyphenDict>
    private let utf8: Bool
    public let language: String
    public let path: String

    /// Words longer than this are left whole: no English or European word needs more, and
    /// libhyphen's buffers are sized per call.
    public static let maxWordBytes = 100

    public init(path: String, language: String) throws(LyricsError) {
        guard let d = hnj_hyphen_load(path) else {
            throw LyricsError("\(path): not a readable hyphenation dictionary")
        }
        dictionary = d
        var level: UnsafeMutablePointer<HyphenDict>? = d
        while let l = level {
            l.pointee.lhmin = 1
            l.pointee.rhmin = 1
            level = l.pointee.nextlevel
        }
        utf8 = d.pointee.utf8 != 0
        self.language = language
        self.path = path
    }

    deinit { hnj_hyphen_free(dictionary) }

    /// Offsets (in Unicode scalars of `word`, lower-cased letters) after which a break is allowed.
    public func breaks(in word: String) -> [Int] {
        let scalars = Array(word.lowercased().unicodeScalars)
        // Each scalar's byte length in the dictionary's encoding (UTF-8 or ISO 8859-1).
        var bytes: [UInt8] = []
        var ends: [Int] = []
        for s in scalars {
            if utf8 {
                bytes += Array(String(s).utf8)
            } else {
                guard s.value < 256 else { return [] }
                bytes.append(UInt8(s.value))
            }
            ends.append(bytes.count)
        }
        guard !bytes.isEmpty, bytes.count <= Self.maxWordBytes else { return [] }
        let length = bytes.count
        // libhyphen reads the word as a C string too (strstr, strlen), past the length it is
        // given: it must end with a NUL (found by fuzzing, a heap overflow under ASan).
        bytes.append(0)
        var hyphens = [CChar](repeating: 0, count: length + 5)
        var rep: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = nil
        var pos: UnsafeMutablePointer<Int32>? = nil
        var cut: UnsafeMutablePointer<Int32>? = nil
        let status = bytes.withUnsafeBufferPointer { b in
            b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: b.count) { w in
                hnj_hyphen_hyphenate3(dictionary, w, Int32(length), &hyphens, nil, &rep, &pos, &cut, 1, 1, 1, 1)
            }
        }
        // Non-standard breaks (German "Schiff-fahrt" spellings) come with replacement tables;
        // syllables only need the break positions, so the tables are freed unread.
        if let rep {
            for i in 0..<length { free(rep[i]) }
            free(rep)
        }
        free(pos)
        free(cut)
        guard status == 0 else { return [] }
        var out: [Int] = []
        for (i, end) in ends.enumerated() where i < scalars.count - 1 && hyphens[end - 1] & 1 == 1 {
            out.append(i + 1)
        }
        return out
    }
}

extension HyphenationPatterns {
    /// Where Debian's `hyphen-*` packages put the patterns; `$LOFI_HYPHEN_DIR` first.
    public static var searchDirectories: [String] {
        var dirs: [String] = []
        if let d = ProcessInfo.processInfo.environment["LOFI_HYPHEN_DIR"], !d.isEmpty { dirs.append(d) }
        return dirs + ["/usr/share/hyphen", "/usr/local/share/hyphen"]
    }

    /// The dictionary file for a language tag (`en`, `en_US`, `de-DE`): the exact tag first,
    /// then its base language with any region.
    public static func file(for language: String) throws(LyricsError) -> String {
        let tag = language.replacingOccurrences(of: "-", with: "_")
        guard !tag.isEmpty, tag.count <= 16, tag.allSatisfy({ $0.isASCII && ($0.isLetter || $0 == "_") }) else {
            throw LyricsError("--language '\(language)': expected a language tag such as en, en_US, de or fr")
        }
        let base = String(tag.prefix { $0 != "_" }).lowercased()
        let fm = FileManager.default
        // American English is the default English: hyph_en.dic is a link to it on Debian anyway.
        let exact = [tag] + (tag.lowercased() == "en" ? ["en_US"] : [])
        for dir in searchDirectories {
            for name in exact where fm.fileExists(atPath: "\(dir)/hyph_\(name).dic") { return "\(dir)/hyph_\(name).dic" }
        }
        var available: Set<String> = []
        for dir in searchDirectories {
            for f in ((try? fm.contentsOfDirectory(atPath: dir)) ?? []).sorted() where f.hasPrefix("hyph_") && f.hasSuffix(".dic") {
                let language = String(f.dropFirst(5).dropLast(4).prefix { $0 != "_" })
                if language.lowercased() == base { return "\(dir)/\(f)" }
                available.insert(language)
            }
        }
        let list = available.isEmpty ? "none are installed (run scripts/setup, or apt-get install hyphen-en-us)"
            : "installed: " + available.sorted().joined(separator: ", ")
        throw LyricsError("no hyphenation patterns for language '\(language)'; \(list)")
    }

    private static let cacheLock = NSLock()
    nonisolated(unsafe) private static var cache: [String: HyphenationPatterns] = [:]

    /// The patterns of a language, loaded once per process.
    public static func forLanguage(_ language: String) throws(LyricsError) -> HyphenationPatterns {
        let path = try file(for: language)
        cacheLock.lock()
        defer { cacheLock.unlock() }
        if let p = cache[path] { return p }
        let p = try HyphenationPatterns(path: path, language: language)
        cache[path] = p
        return p
    }
}
