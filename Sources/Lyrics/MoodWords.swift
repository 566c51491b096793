/// The word lists the mood rules use, written for this project (VADER's own lists are not
/// part of its lexicon file; these follow its description).
enum MoodWords {
    /// Intensifiers (+) and softeners (−) with VADER's step of 0.293.
    static let boosters: [String: Double] = {
        var b: [String: Double] = [:]
        for w in ["very", "really", "so", "so much", "extremely", "absolutely", "totally", "completely", "incredibly",
                  "deeply", "truly", "utterly", "entirely", "especially", "exceptionally", "hugely", "most", "more",
                  "super", "too", "quite", "highly", "awfully", "damn", "fully", "purely", "thoroughly", "ever"] { b[w] = 0.293 }
        for w in ["barely", "hardly", "slightly", "somewhat", "kinda", "kind", "sort", "sorta", "little", "less",
                  "marginally", "occasionally", "partly", "scarcely", "almost", "just"] { b[w] = -0.293 }
        return b
    }()

    static let negations: Set<String> = [
        "not", "no", "never", "none", "nobody", "nothing", "nowhere", "neither", "nor", "without", "cannot",
        "aint", "ain't", "isnt", "isn't", "wasnt", "wasn't", "dont", "don't", "doesnt", "doesn't", "didnt", "didn't",
        "cant", "can't", "couldnt", "couldn't", "wont", "won't", "wouldnt", "wouldn't", "shouldnt", "shouldn't",
        "arent", "aren't", "werent", "weren't", "havent", "haven't", "hasnt", "hasn't", "hadnt", "hadn't", "nope",
    ]

    static func isNegation(_ w: String) -> Bool { negations.contains(w) || w.hasSuffix("n't") }

    /// Words of motion, heat and noise: they raise the energy a text shows.
    static let lively: Set<String> = [
        "dance", "dancing", "run", "running", "jump", "fire", "burn", "burning", "fast", "loud", "wild", "shout",
        "scream", "fight", "rush", "race", "racing", "fly", "flying", "electric", "alive", "party", "thunder",
        "storm", "crash", "shake", "explode", "rage", "beat", "drum", "go", "move", "faster", "higher", "bright",
        "spark", "sparks", "blaze", "roar", "rock", "energy", "ignite", "chase", "hurry", "now", "tonight",
    ]

    /// Words of rest and quiet: they lower it.
    static let still: Set<String> = [
        "calm", "quiet", "slow", "slowly", "sleep", "sleeping", "asleep", "soft", "softly", "gentle", "gently",
        "still", "rest", "resting", "dream", "dreaming", "drift", "drifting", "hush", "whisper", "silence",
        "silent", "peace", "peaceful", "easy", "lazy", "breathe", "rain", "snow", "tea", "candle", "pillow",
        "morning", "evening", "lull", "mellow", "warm", "tender", "float", "floating", "sway", "linger",
    ]
}
