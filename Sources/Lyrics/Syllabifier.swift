/// Splits words into syllables: the language's hyphenation patterns give the breaks, and
/// for English the spelling rules of `EnglishSyllables` count the vowel groups the patterns
/// leave joined. A syllable is a vowel group with its consonants: a pattern break with no
/// vowel on one side ("s-mile", "rhyth-m") is not a syllable break, and a break inside a
/// vowel run (cre-ate, po-em) is one even where the rules would join the run.
/// Other languages count plain vowel runs, split where their patterns split them.
public struct Syllabifier: Sendable {
    public let patterns: HyphenationPatterns
    public let isEnglish: Bool

    public init(patterns: HyphenationPatterns) {
        self.patterns = patterns
        isEnglish = patterns.language.lowercased().hasPrefix("en")
    }

    /// The patterns of `language` (a tag such as `en`, `de`), loaded once.
    public init(language: String) throws(LyricsError) {
        self.init(patterns: try HyphenationPatterns.forLanguage(language))
    }

    static let otherVowels: Set<Character> = Set("aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿœąęėįųůěøаеёиоуыэюяіїєαεηιουω")

    /// The syllables of one word (letters with inner apostrophes), stress marked.
    public func word(_ text: String) -> LyricWord {
        let chars = Array(text)
        // Letters only, lower-cased, with the index in `chars` of each.
        var letters: [Character] = []
        var at: [Int] = []
        for (i, c) in chars.enumerated() where c.isLetter {
            letters.append(Character(c.lowercased()))
            at.append(i)
        }
        guard !letters.isEmpty else { return LyricWord(text: text, syllables: [Syllable(text, stressed: false)]) }
        let breaks = patterns.breaks(in: String(letters))
        var groups: [Range<Int>]
        var contraction: Int?
        if isEnglish {
            groups = EnglishSyllables.dropSilent(letters, EnglishSyllables.runs(letters, extraBreaks: breaks))
            contraction = contractionStart(chars, letters, groups)
            if let c = contraction { groups.append(c..<(c + 1)) }
        } else {
            groups = plainRuns(letters, breaks)
        }
        // Cut between groups: at a pattern break lying between them if there is one.
        var cuts: [Int] = []
        let ruleCuts = EnglishSyllables.cuts(letters, groups)
        for (k, (g1, g2)) in zip(groups, groups.dropFirst()).enumerated() {
            cuts.append(breaks.first { $0 >= g1.upperBound && $0 <= g2.lowerBound } ?? ruleCuts[k])
        }
        // A contraction's syllable is cut where it starts: "could-n't", "it-'ll".
        if let contraction, !cuts.isEmpty { cuts[cuts.count - 1] = contraction }
        // Letter cuts to character cuts: a cut before letter j is before chars[at[j]].
        var pieces: [String] = []
        var start = 0
        for c in cuts {
            var end = at[c]
            if c == contraction, end > 0, chars[end - 1] == "'" || chars[end - 1] == "’" { end -= 1 }   // it-'ll
            pieces.append(String(chars[start..<end]))
            start = end
        }
        pieces.append(String(chars[start...]))
        if pieces.count == 1 || pieces.contains(where: { !$0.contains(where: \.isLetter) }) {
            pieces = pieces.count == 1 ? pieces : [text]
        }
        let stress = isEnglish ? EnglishStress.stressed(word: String(letters), syllables: pieces.map { $0.lowercased() })
            : GenericStress.stressed(syllableCount: pieces.count)
        return LyricWord(text: text, syllables: pieces.enumerated().map { Syllable($1, stressed: stress == $0) })
    }

    /// "could-n't", "it-'ll": n't and 'll after a consonant are sung as syllables of their
    /// own; the letter index where that syllable starts (its n, or its first l).
    private func contractionStart(_ chars: [Character], _ letters: [Character], _ groups: [Range<Int>]) -> Int? {
        let lower = String(chars).lowercased().replacingOccurrences(of: "’", with: "'")
        let n = letters.count
        var start: Int?
        if lower.hasSuffix("n't"), n >= 3, !EnglishSyllables.isVowel(letters, n - 3), letters[n - 3] != "n" { start = n - 2 }
        if lower.hasSuffix("'ll"), n >= 3, !EnglishSyllables.isVowel(letters, n - 3) { start = n - 2 }
        guard let start, let last = groups.last, last.upperBound <= start else { return nil }
        return start
    }

    private func plainRuns(_ w: [Character], _ breaks: [Int]) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var i = 0
        while i < w.count {
            guard Self.otherVowels.contains(w[i]) else { i += 1; continue }
            var j = i + 1
            while j < w.count && Self.otherVowels.contains(w[j]) && !breaks.contains(j) { j += 1 }
            runs.append(i..<j)
            i = j
        }
        return runs.isEmpty ? [0..<w.count] : runs
    }
}
