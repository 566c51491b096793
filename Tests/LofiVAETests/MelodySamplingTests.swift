import Foundation
import Testing
import Theory
@testable import LofiVAE

@Suite struct MelodySamplingTests {
    /// Triad tones by hand: melody token = scale degree (1…7 lower octave, 8…14 upper).
    @Test func chordTonesAreTheTriadInBothOctaves() {
        let expected: [Int: Set<Int>] = [
            1: [1, 3, 5, 8, 10, 12],      // I: 1 3 5
            2: [2, 4, 6, 9, 11, 13],      // ii: 2 4 6
            5: [5, 7, 2, 12, 14, 9],      // V: 5 7 2
            7: [7, 2, 4, 14, 9, 11],      // vii°: 7 2 4
        ]
        for (chord, tones) in expected {
            let got = Set(MelodySampling.chordTones[chord].indices.filter { MelodySampling.chordTones[chord][$0] })
            #expect(got == tones, "chord \(chord)")
        }
        #expect(!MelodySampling.chordTones[0].contains(true))   // a rest chord has no tones
        #expect(!MelodySampling.chordTones[8].contains(true))
    }

    /// Frequencies of many draws against the distribution worked out by hand.
    func frequencies(_ logits: [Float], _ s: MelodySampling, chord: Int = 0, onBeat: Bool = false, draws: Int = 40_000) -> [Double] {
        var rng = SplitMix64(seed: 5)
        var counts = [Double](repeating: 0, count: logits.count)
        for _ in 0..<draws { counts[s.pick(logits[...], chord: chord, onBeat: onBeat, rng: &rng)] += 1 }
        return counts.map { $0 / Double(draws) }
    }

    @Test func drawsFollowTemperatureAndNucleus() {
        var logits = [Float](repeating: -30, count: 15)
        logits[0] = Float(log(0.5)); logits[1] = Float(log(0.3)); logits[2] = Float(log(0.2))
        // Temperature 1, whole distribution: 0.5 / 0.3 / 0.2 (standard error about 0.0025).
        let plain = frequencies(logits, MelodySampling(temperature: 1, topP: 1, chordToneBias: 0))
        for (f, p) in zip(plain.prefix(3), [0.5, 0.3, 0.2]) { #expect(abs(f - p) < 0.012) }
        // Temperature 0.5 squares the odds: 25 : 9 : 4.
        let sharp = frequencies(logits, MelodySampling(temperature: 0.5, topP: 1, chordToneBias: 0))
        for (f, p) in zip(sharp.prefix(3), [25.0 / 38, 9.0 / 38, 4.0 / 38]) { #expect(abs(f - p) < 0.012) }
        // Nucleus 0.7: 0.5 + 0.3 reach it, renormalised to 5/8 and 3/8; token 2 never drawn.
        let nucleus = frequencies(logits, MelodySampling(temperature: 1, topP: 0.7, chordToneBias: 0))
        #expect(abs(nucleus[0] - 0.625) < 0.012 && abs(nucleus[1] - 0.375) < 0.012 && nucleus[2] == 0)
    }

    @Test func chordToneBiasMultipliesTheOddsOnBeatsOnly() {
        // Tokens 1 (degree 1) and 2 (degree 2) equally likely; over chord I only token 1 is a tone.
        var logits = [Float](repeating: -30, count: 15)
        logits[1] = 0; logits[2] = 0
        let s = MelodySampling(temperature: 1, topP: 1, chordToneBias: log(3))
        let beat = frequencies(logits, s, chord: 1, onBeat: true)
        #expect(abs(beat[1] - 0.75) < 0.012 && abs(beat[2] - 0.25) < 0.012)
        let offBeat = frequencies(logits, s, chord: 1, onBeat: false)
        #expect(abs(offBeat[1] - 0.5) < 0.012)
    }

    @Test func aLatentDecodesTheSameAloneOrInABatch() {
        let engine = DecoderEngine(Reference.decoder)
        let z = LatentSampler(seed: 3).latents(count: 6)
        let s = MelodySampling.lofi
        let batch = engine.decode(Tensor(shape: [6, 100], storage: z.flatMap { $0 }), melody: s)
        for (i, v) in z.enumerated() {
            let alone = engine.decode(Tensor(shape: [1, 100], storage: v), melody: s)[0]
            #expect(alone.melody == batch[i].melody && alone.chords == batch[i].chords)
        }
        // Sampling changes the melody, not the chords; another seed draws another melody.
        let argmax = engine.decode(Tensor(shape: [6, 100], storage: z.flatMap { $0 }))
        #expect(zip(argmax, batch).allSatisfy { $0.chords == $1.chords })
        #expect(zip(argmax, batch).contains { $0.melody != $1.melody })
        var other = s
        other.seed = 1
        let reseeded = engine.decode(Tensor(shape: [6, 100], storage: z.flatMap { $0 }), melody: other)
        #expect(zip(reseeded, batch).contains { $0.melody != $1.melody })
    }
}
