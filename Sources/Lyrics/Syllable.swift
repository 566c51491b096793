/// One sung syllable: the letters it covers as written (with the word's apostrophes) and
/// whether the word's stress falls on it.
public struct Syllable: Hashable, Sendable {
    public var text: String
    public var stressed: Bool

    public init(_ text: String, stressed: Bool) {
        self.text = text
        self.stressed = stressed
    }
}

/// A word as written in the text, split into syllables.
public struct LyricWord: Hashable, Sendable {
    public var text: String
    public var syllables: [Syllable]

    public init(text: String, syllables: [Syllable]) {
        self.text = text
        self.syllables = syllables
    }

    /// The karaoke spelling of syllable `i`: a trailing hyphen joins it to the next one of
    /// the same word ("beau-", "ti-", "ful").
    public func sung(_ i: Int) -> String {
        syllables[i].text + (i < syllables.count - 1 ? "-" : "")
    }
}

/// One line of the text: its words, and the stanza it belongs to (stanzas are separated by
/// blank lines).
public struct LyricLine: Hashable, Sendable {
    public var text: String
    public var words: [LyricWord]
    public var stanza: Int

    public init(text: String, words: [LyricWord], stanza: Int) {
        self.text = text
        self.words = words
        self.stanza = stanza
    }

    public var syllableCount: Int { words.reduce(0) { $0 + $1.syllables.count } }

    /// Every syllable in order with its karaoke spelling and whether it ends its word.
    public var sungSyllables: [(text: String, stressed: Bool, endsWord: Bool)] {
        words.flatMap { w in w.syllables.indices.map { (w.sung($0), w.syllables[$0].stressed, $0 == w.syllables.count - 1) } }
    }
}
