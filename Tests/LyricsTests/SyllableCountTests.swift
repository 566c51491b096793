import Testing
@testable import Lyrics

/// Syllable counts checked by hand (as the words are usually sung in American English;
/// where dictionaries give two counts, the one Merriam-Webster gives first).
let handCounted: [(String, Int)] = [
    // common
    ("a", 1), ("the", 1), ("love", 1), ("heart", 1), ("night", 1), ("light", 1), ("time", 1), ("rain", 1),
    ("home", 1), ("smile", 1), ("dream", 1), ("eyes", 1), ("sky", 1), ("you", 1), ("yes", 1), ("through", 1),
    ("thought", 1), ("strength", 1), ("world", 1), ("breathe", 1), ("fire", 1), ("tired", 1), ("loved", 1),
    ("walked", 1), ("danced", 1), ("lives", 1), ("times", 1), ("make", 1), ("blue", 1), ("true", 1),
    ("free", 1), ("tree", 1), ("day", 1), ("boy", 1), ("moon", 1), ("stars", 1), ("cloud", 1), ("sweet", 1),
    ("rhythm", 2), ("music", 2), ("baby", 2), ("happy", 2), ("little", 2), ("table", 2), ("people", 2),
    ("bottle", 2), ("candle", 2), ("city", 2), ("cities", 2), ("summer", 2), ("window", 2), ("morning", 2),
    ("golden", 2), ("silver", 2), ("river", 2), ("ocean", 2), ("water", 2), ("yellow", 2), ("heaven", 2),
    ("about", 2), ("again", 2), ("away", 2), ("alone", 2), ("tonight", 2), ("today", 2), ("believe", 2),
    ("forget", 2), ("wanted", 2), ("needed", 2), ("places", 2), ("wishes", 2), ("boxes", 2), ("lonely", 2),
    ("lovely", 2), ("hopeful", 2), ("homeless", 2), ("someone", 2), ("going", 2), ("being", 2), ("doing", 2),
    ("seeing", 2), ("lion", 2), ("poem", 2), ("quiet", 2), ("science", 2), ("diet", 2), ("cruel", 2),
    ("fuel", 2), ("happened", 2), ("open", 2), ("orange", 2), ("garden", 2), ("dancing", 2), ("falling", 2),
    ("shadow", 2), ("sunlight", 2), ("highway", 2), ("goodbye", 2), ("pillow", 2), ("gentle", 2),
    ("whisper", 2), ("inside", 2), ("outside", 2), ("nothing", 2), ("something", 2), ("every", 2),
    ("able", 2), ("idle", 2), ("simple", 2), ("wonder", 2), ("thunder", 2), ("silence", 2), ("union", 2),
    ("onion", 2), ("million", 2), ("teacher", 2), ("create", 2),
    // long
    ("beautiful", 3), ("remember", 3), ("forever", 3), ("yesterday", 3), ("tomorrow", 3), ("together", 3),
    ("radio", 3), ("piano", 3), ("video", 3), ("idea", 3), ("area", 3), ("family", 3), ("memory", 3),
    ("camera", 3), ("natural", 3), ("serious", 3), ("period", 3), ("diamond", 3), ("violin", 3),
    ("champion", 3), ("animal", 3), ("energy", 3), ("melody", 3), ("holiday", 3), ("everyone", 3),
    ("butterfly", 3), ("delicious", 3), ("emotion", 3), ("opinion", 3), ("companion", 3), ("hospital", 3),
    ("wonderful", 3), ("fantastic", 3), ("dangerous", 3), ("different", 3), ("universe", 3), ("actual", 3),
    ("usual", 3), ("carefully", 3), ("created", 3), ("beginning", 3), ("important", 3), ("history", 3),
    ("opportunity", 5), ("university", 5), ("imagination", 5), ("electricity", 5), ("celebration", 4),
    ("understanding", 4), ("information", 4), ("invisible", 4), ("especially", 4), ("television", 4),
    ("unbelievable", 5), ("individual", 5), ("naturally", 4), ("everybody", 4), ("photography", 4),
    // contractions
    ("don't", 1), ("can't", 1), ("won't", 1), ("I'm", 1), ("you're", 1), ("we've", 1), ("they'll", 1),
    ("it's", 1), ("I'd", 1), ("we're", 1), ("couldn't", 2), ("didn't", 2), ("wasn't", 2), ("isn't", 2),
    ("doesn't", 2), ("wouldn't", 2), ("haven't", 2), ("it'll", 2), ("'cause", 1), ("o'clock", 2),
    ("y'all", 1), ("gonna", 2), ("wanna", 2), ("ev'ry", 2),
]

@Suite struct SyllableCountTests {
    @Test func atLeast95PercentOfTheHandCountedWordsAreExact() throws {
        let s = try Syllabifier(language: "en")
        #expect(handCounted.count >= 150)
        var misses: [String] = []
        for (w, n) in handCounted {
            let got = s.word(w).syllables
            if got.count != n { misses.append("\(w): \(got.map(\.text).joined(separator: "-")) (\(got.count), want \(n))") }
        }
        let exact = Double(handCounted.count - misses.count) / Double(handCounted.count)
        #expect(exact >= 0.95, "\(misses.count) of \(handCounted.count) wrong: \(misses.joined(separator: "; "))")
        // The issue's bar is 95 %; today every word is exact, and a rule that breaks one
        // (a few words each) must not hide under that bar.
        #expect(misses.isEmpty, "regressed: \(misses.joined(separator: "; "))")
        print("syllables: \(handCounted.count - misses.count)/\(handCounted.count) exact; misses: \(misses.joined(separator: "; "))")
    }
}
