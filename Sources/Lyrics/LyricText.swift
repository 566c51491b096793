import Foundation

/// A text read as lyrics: its stanzas' lines, each split into words and syllables.
public struct LyricText: Sendable, Equatable {
    public var lines: [LyricLine]
    public var language: String

    /// The largest text taken: a long poem is a few kilobytes; more is not lyrics.
    public static let maxBytes = 100 * 1024

    public var syllableCount: Int { lines.reduce(0) { $0 + $1.syllableCount } }

    /// Reads raw bytes (a file or standard input named `source` in messages): UTF-8 text of
    /// at most 100 KB with at least one word. Binary data, invalid UTF-8, empty or
    /// whitespace-only input are refused with one line saying so.
    public static func read(_ data: Data, source: String, language: String = "en") throws(LyricsError) -> LyricText {
        guard data.count <= maxBytes else {
            throw LyricsError("\(source): \(data.count) bytes; a lyrics text holds at most \(maxBytes) bytes (100 KB)")
        }
        if let nul = data.firstIndex(of: 0) {
            throw LyricsError("\(source): binary data (a NUL byte at offset \(nul - data.startIndex)), not a text")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw LyricsError("\(source): not valid UTF-8 text")
        }
        if let bad = text.unicodeScalars.first(where: { $0.value < 0x20 && !"\t\n\r\u{0C}".unicodeScalars.contains($0) }) {
            throw LyricsError("\(source): binary data (control character U+\(String(format: "%04X", bad.value))), not a text")
        }
        guard text.contains(where: { !$0.isWhitespace }) else {
            throw LyricsError("\(source): the text is empty; write at least one line of words")
        }
        return try parse(text, source: source, language: language)
    }

    /// Splits a text into lines (blank lines separate stanzas) and words. A word is a run of
    /// letters and digits with inner apostrophes ("don't", "’cause"); hyphens and other
    /// punctuation separate words.
    public static func parse(_ text: String, source: String = "text", language: String = "en") throws(LyricsError) -> LyricText {
        let syllabifier = try Syllabifier(language: language)
        var lines: [LyricLine] = []
        var stanza = 0
        var blank = false
        for raw in text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            let words = wordTokens(line)
            if words.isEmpty {
                if !lines.isEmpty { blank = true }
                continue
            }
            if blank { stanza += 1; blank = false }
            lines.append(LyricLine(text: line, words: words.map { syllabifier.word($0) }, stanza: stanza))
        }
        guard !lines.isEmpty else { throw LyricsError("\(source): no words (only punctuation or symbols)") }
        return LyricText(lines: lines, language: language)
    }

    /// The words of a line, in order.
    static func wordTokens(_ line: String) -> [String] {
        var out: [String] = []
        var current = ""
        let chars = Array(line)
        for (i, c) in chars.enumerated() {
            if c.isLetter || c.isNumber {
                current.append(c)
            } else if (c == "'" || c == "’"), (!current.isEmpty || (i + 1 < chars.count && chars[i + 1].isLetter)),
                      i + 1 < chars.count, chars[i + 1].isLetter {
                current.append(c)   // inner or leading apostrophe: "don't", "'cause"
            } else if !current.isEmpty {
                out.append(current)
                current = ""
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }
}
