/// One thing wrong with a song: the field (with indices) and what is allowed there.
public struct SongProblem: Hashable, Sendable, CustomStringConvertible {
    /// JSON path of the offending value, e.g. `melodies[3][5]`.
    public let field: String
    public let message: String

    public var description: String { "\(field): \(message)" }
}

/// Every problem found in one song, reported together.
public struct SongValidationError: Error, Sendable, CustomStringConvertible {
    public let problems: [SongProblem]
    public var description: String { problems.map(\.description).joined(separator: "; ") }
}

extension Song {
    /// Titles go into MIDI meta events and audio tags; a sentence is plenty.
    public static let maxTitleBytes = 1024
    /// A syllable is a few letters; the bound keeps a lyric meta event small.
    public static let maxSyllableBytes = 64
    public static let keyRange = 1...12
    public static let modeRange = 1...7
    public static let bpmRange = 20.0...300.0
    public static let moodRange = 0.0...1.0
    public static let chordRange = 0...7
    public static let chordCountRange = 1...512
    public static let melodyRange = 0...15

    /// All problems of this song; empty when it is valid.
    public func problems() -> [SongProblem] {
        var p: [SongProblem] = []
        func add(_ field: String, _ message: String) { p.append(SongProblem(field: field, message: message)) }

        if let title, title.utf8.count > Song.maxTitleBytes {
            add("title", "\(title.utf8.count) bytes; at most \(Song.maxTitleBytes)")
        }
        if !Song.keyRange.contains(key) { add("key", "\(key) is outside 1...12 (1 = C … 12 = B)") }
        if !Song.modeRange.contains(mode) { add("mode", "\(mode) is outside 1...7 (1 = Ionian … 7 = Locrian)") }
        if !bpm.isFinite || !Song.bpmRange.contains(bpm) { add("bpm", "\(Song.format(bpm)) is not a finite number in 20...300") }
        if !energy.isFinite || !Song.moodRange.contains(energy) { add("energy", "\(Song.format(energy)) is not a finite number in 0...1") }
        if !valence.isFinite || !Song.moodRange.contains(valence) { add("valence", "\(Song.format(valence)) is not a finite number in 0...1") }

        var ended = false
        for (i, c) in chords.enumerated() {
            if c == Song.endToken { ended = true; continue }
            if ended {
                add("chords[\(i)]", "\(c) follows the end token 8; only 8 may follow it")
            } else if !Song.chordRange.contains(c) {
                add("chords[\(i)]", "\(c) is outside 0...7 (0 rest, 1…7 Roman numeral, 8 ends the list)")
            }
        }
        let count = progression.count
        if !Song.chordCountRange.contains(count) {
            add("chords", "\(count) chords before the end token; allowed 1...512")
        }
        if melodies.count != count {
            add("melodies", "\(melodies.count) rows for \(count) chords; exactly one row of 8 per chord")
        }
        for (i, row) in melodies.enumerated() {
            if row.count != Song.slotsPerChord {
                add("melodies[\(i)]", "\(row.count) values; each row holds exactly 8")
            }
            for (j, v) in row.enumerated() where !Song.melodyRange.contains(v) {
                add("melodies[\(i)][\(j)]", "\(v) is outside 0...15 (0 rest, 1…14 scale degrees, 15 = tonic two octaves up)")
            }
        }
        if let id, id.utf8.count > Song.maxTitleBytes {
            add("id", "\(id.utf8.count) bytes; at most \(Song.maxTitleBytes)")
        }
        if let lyrics {
            if lyrics.count != count {
                add("lyrics", "\(lyrics.count) rows for \(count) chords; exactly one row of 8 per chord")
            }
            for (i, row) in lyrics.enumerated() {
                if row.count != Song.slotsPerChord { add("lyrics[\(i)]", "\(row.count) slots; each row holds exactly 8") }
                for (j, v) in row.enumerated() {
                    guard let v else { continue }
                    if v.isEmpty || v.utf8.count > Song.maxSyllableBytes || v.unicodeScalars.contains(where: { $0.value < 0x20 }) {
                        add("lyrics[\(i)][\(j)]", "a syllable is 1…\(Song.maxSyllableBytes) bytes of text without control characters")
                    } else if i < melodies.count, j < melodies[i].count, melodies[i][j] == 0 {
                        add("lyrics[\(i)][\(j)]", "'\(v)' is sung on a rest (melodies[\(i)][\(j)] is 0)")
                    }
                }
            }
        }
        return p
    }

    /// Throws `SongValidationError` listing every problem, or returns quietly.
    public func validate() throws(SongValidationError) {
        let p = problems()
        if !p.isEmpty { throw SongValidationError(problems: p) }
    }

    static func format(_ x: Double) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x > 0 ? "Infinity" : "-Infinity" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return String(x)
    }
}
