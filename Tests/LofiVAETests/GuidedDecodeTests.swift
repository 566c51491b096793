import Foundation
import Testing
import Theory
@testable import LofiVAE

/// Decoding under a given form (Lyrics2Lofi's rhythm).
@Suite struct GuidedDecodeTests {
    static let model = try! LofiModel(path: LofiModel.bundledPathForTests)

    /// The rhythm a decoded song already has, as a guide.
    func ownRhythm(_ out: DecoderOutput) -> DecodingGuide {
        var slots: [MelodySlot] = []
        for (i, t) in out.melody.enumerated() {
            let previous = i % 8 == 0 ? nil : out.melody[i - 1]
            slots.append(t == 0 ? .rest : (t == previous ? .hold : .onset))
        }
        return DecodingGuide(measures: out.chords.count, slots: slots)!
    }

    @Test func aGuideThatIsTheModelsOwnFormChangesNothing() {
        // Under argmax the allowed tokens always include the model's own choice, and each
        // forced token is the one it chose, so the song must come out identical. (A sampled
        // melody draws among fewer tokens under a guide, so its draws differ.)
        for melody: MelodySampling? in [nil] {
            let latents = LatentSampler(seed: 99).latents(count: 24)
            let z = Tensor(shape: [24, 100], storage: latents.flatMap { $0 })
            let free = Self.model.engine.decode(z, melody: melody)
            let guided = Self.model.engine.decode(z, melody: melody, guides: free.map(ownRhythm))
            #expect(guided == free)
        }
    }

    @Test func aGivenFormIsObeyedAndThePitchesStayTheModels() {
        let z = LatentSampler(seed: 4).latent(index: 0)
        let t = Tensor(shape: [1, 100], storage: z)
        // 6 measures; every measure: onsets on 0, 1, 2, 4, a hold on 3 and 5, rests on 6 and 7.
        let measure: [MelodySlot] = [.onset, .onset, .onset, .hold, .onset, .hold, .rest, .rest]
        let guide = DecodingGuide(measures: 6, slots: Array(repeating: measure, count: 6).flatMap { $0 })!
        let out = Self.model.engine.decode(t, melody: .lofi, guides: [guide])[0]
        #expect(out.chords.count == 6 && !out.chords.contains(8))
        for m in 0..<6 {
            let row = Array(out.melody[(m * 8)..<(m * 8 + 8)])
            #expect(row[0] != 0 && row[1] != 0 && row[1] != row[0] && row[2] != row[1] && row[4] != row[3])
            #expect(row[3] == row[2] && row[5] == row[4] && row[6] == 0 && row[7] == 0)
        }
        // The first slot is the model's own best first note (nothing before it is forced).
        let free = Self.model.engine.decode(t)[0]
        let argmaxGuided = Self.model.engine.decode(t, guides: [guide])[0]
        #expect(argmaxGuided.melody[0] == (free.melody[0] == 0 ? argmaxGuided.melody[0] : free.melody[0]))
        #expect(DecodingGuide(measures: 51, slots: Array(repeating: .rest, count: 408)) == nil)
        #expect(DecodingGuide(measures: 2, slots: [.rest]) == nil)
    }
}
