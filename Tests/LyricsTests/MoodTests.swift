import Testing
@testable import Lyrics

/// Texts written to be clearly happy, sad, calm and energetic, read for their mood.
@Suite struct MoodTests {
    static let happy = """
        Sunshine on my face, I love this lovely day
        We laugh and sing together, happy all the way
        My heart is full of joy, the world is bright and sweet
        """
    static let sad = """
        I miss you every night, the tears will never dry
        Alone in this cold room, I'm broken and I cry
        The pain is all I have, my hopeless lonely heart
        """
    static let calm = """
        Soft rain on the window
        a quiet cup of tea
        slow evening, gentle pillow
        we rest and breathe and dream
        """
    static let energetic = """
        Run! Jump! Dance into the fire tonight!
        We are ALIVE and the drums are loud and wild!
        Faster, higher, shout it out, we never stop the party, go go go!
        """

    func mood(_ text: String) throws -> MoodReading {
        MoodReading(text: try LyricText.parse(text), lexicon: try SentimentLexicon.installed())
    }

    @Test func valenceOrdersHappyAboveCalmAboveSad() throws {
        let h = try mood(Self.happy), s = try mood(Self.sad), c = try mood(Self.calm), e = try mood(Self.energetic)
        #expect(h.valence > c.valence, "\(h.explanation) / \(c.explanation)")
        #expect(c.valence > s.valence, "\(c.explanation) / \(s.explanation)")
        #expect(e.valence > s.valence)
        #expect(h.valence > 0.75 && s.valence < 0.25)
    }

    @Test func energyOrdersEnergeticAboveHappyAboveCalm() throws {
        let h = try mood(Self.happy), s = try mood(Self.sad), c = try mood(Self.calm), e = try mood(Self.energetic)
        #expect(e.energy > h.energy, "\(e.explanation) / \(h.explanation)")
        #expect(h.energy > c.energy, "\(h.explanation) / \(c.explanation)")
        #expect(e.energy > s.energy && s.energy > c.energy)
        #expect(e.energy > 0.7 && c.energy < 0.3)
    }

    @Test func negationFlipsAndButShiftsTheWeight() throws {
        let happy = try mood("I am happy"), notHappy = try mood("I am not happy")
        #expect(happy.valence > 0.5 && notHappy.valence < 0.5)
        // VADER's rule by hand: happy is 2.7; negated 2.7 · −0.74 = −1.998; compound x/√(x²+15).
        let lexicon = try SentimentLexicon.installed()
        #expect(lexicon["happy"] == 2.7)
        let x = 2.7 * -0.74
        #expect(abs(notHappy.compound - x / (x * x + 15).squareRoot()) < 1e-12)
        #expect(notHappy.negations == 1)
        // "but": the clause after it counts three times the one before.
        let b = try mood("the day was good but the night was sad")
        let good = lexicon["good"]! * 0.5, sad = lexicon["sad"]! * 1.5
        #expect(abs(b.compound - (good + sad) / ((good + sad) * (good + sad) + 15).squareRoot()) < 1e-12)
        #expect(b.valence < 0.5)
    }

    @Test func intensifiersCapitalsAndExclamationsFollowTheRules() throws {
        let lexicon = try SentimentLexicon.installed()
        let g = lexicon["good"]!
        func compound(_ s: Double) -> Double { s / (s * s + 15).squareRoot() }
        #expect(abs(try mood("very good").compound - compound(g + 0.293)) < 1e-12)
        #expect(abs(try mood("it is GOOD").compound - compound(g + 0.733)) < 1e-12)
        #expect(abs(try mood("good!!").compound - compound(g + 2 * 0.292)) < 1e-12)
        #expect(abs(try mood("barely good").compound - compound(g - 0.293)) < 1e-12)
    }
}
