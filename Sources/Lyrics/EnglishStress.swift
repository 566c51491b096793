/// Which syllable of an English word carries its stress, by the rules that hold for most
/// words (no pronouncing dictionary is installed):
/// - one syllable: stressed, unless a function word (the, a, of, and, my, …);
/// - a suffix fixes it for longer words: "-tion", "-sion", "-cian", "-cial", "-tial", "-ic",
///   "-ious" stress the syllable before the suffix (na-TION-al aside), "-ity", "-ical",
///   "-ogy", "-graphy", "-ia" the one before that (op-por-TU-ni-ty);
/// - a weak prefix (a-, be-, de-, re-, un-, to-, for-, with-) gives the
///   stress to the syllable after it (a-BOUT, to-NIGHT, re-MEM-ber);
/// - otherwise the first syllable (HAP-py, BEAU-ti-ful).
enum EnglishStress {
    static let functionWords: Set<String> = [
        "a", "an", "the", "and", "but", "or", "nor", "of", "to", "in", "on", "at", "by", "for", "from", "with",
        "as", "is", "am", "are", "was", "were", "be", "been", "it", "its", "im", "my", "your", "his", "her",
        "our", "their", "them", "him", "me", "us", "we", "you", "he", "she", "they", "that", "than", "so",
        "if", "do", "does", "can", "will", "would", "could", "should", "just", "up", "til", "till", "through",
        "youre", "were", "theyre", "ill", "ive", "id", "its", "thats", "such", "this", "these", "those",
    ]
    static let prefixes = ["a", "be", "de", "re", "un", "to", "for", "with"]
    static let penultimateSuffixes = ["tion", "sion", "cian", "cial", "tial", "ic", "ious", "cious", "tious", "gious"]
    static let antepenultimateSuffixes = ["ity", "ety", "ical", "ogy", "graphy", "ia", "ify", "ular"]

    /// The stressed syllable's index; nil when the word is unstressed.
    static func stressed(word: String, syllables: [String]) -> Int? {
        let n = syllables.count
        let bare = word.filter(\.isLetter)
        if n == 1 { return functionWords.contains(bare) ? nil : 0 }
        if n >= 3 {
            if antepenultimateSuffixes.contains(where: { bare.hasSuffix($0) }) { return max(0, n - 3) }
            if penultimateSuffixes.contains(where: { bare.hasSuffix($0) }) { return n - 2 }
        }
        let first = syllables[0].filter(\.isLetter)
        if prefixes.contains(first) { return 1 }
        return 0
    }
}

/// Stress where no rules are written for the language: the first syllable.
enum GenericStress {
    static func stressed(syllableCount: Int) -> Int? { syllableCount > 0 ? 0 : nil }
}
