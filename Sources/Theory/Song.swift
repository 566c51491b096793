/// A song as the Lofi2Lofi model emits it and the web player plays it (DATASET.md):
/// key, mode, tempo, mood, one Roman-numeral chord per measure and eight melody slots per chord.
public struct Song: Hashable, Sendable {
    public var title: String?
    /// 1…12, tonic by chromatic degree (1 = C).
    public var key: Int
    /// 1…7, Ionian … Locrian.
    public var mode: Int
    public var bpm: Double
    public var energy: Double
    public var valence: Double
    /// 0 rest, 1…7 Roman numeral; an 8 ends the list.
    public var chords: [Int]
    /// One row of eight slots per chord before the end token.
    public var melodies: [[Int]]
    /// The original model's hash title when `title` is a readable one.
    public var id: String?
    /// Optional words: one row of eight slots per chord, each the syllable sung from that
    /// slot ("beau-", "ti-", "ful") or nil. A syllable at slot 0 of a measure begins a line.
    public var lyrics: [[String?]]?

    public init(title: String? = nil, key: Int, mode: Int, bpm: Double, energy: Double, valence: Double,
                chords: [Int], melodies: [[Int]], id: String? = nil, lyrics: [[String?]]? = nil) {
        self.title = title
        self.id = id
        self.lyrics = lyrics
        self.key = key
        self.mode = mode
        self.bpm = bpm
        self.energy = energy
        self.valence = valence
        self.chords = chords
        self.melodies = melodies
    }

    /// The chords before the first end token (8).
    public var progression: [Int] {
        if let end = chords.firstIndex(of: Song.endToken) { return Array(chords[..<end]) }
        return chords
    }

    /// The key as a music-theory value; valid songs always have one.
    public var musicalKey: Key { Key(songKey: key, songMode: mode) ?? Key(tonic: PitchClass(0), mode: .ionian) }

    /// The title, or a readable one made from the key ("Lofi track in D♭ major").
    public var displayTitle: String {
        if let title, !title.trimmingWhitespace.isEmpty { return title }
        return "Lofi track in \(musicalKey.name)"
    }

    public static let endToken = 8
    public static let slotsPerChord = 8
}

extension String {
    var trimmingWhitespace: Substring {
        let s = drop { $0.isWhitespace }
        var e = s.endIndex
        while e > s.startIndex, s[s.index(before: e)].isWhitespace { e = s.index(before: e) }
        return s[s.startIndex..<e]
    }
}
