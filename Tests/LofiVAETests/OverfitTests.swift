import Foundation
import Testing
import Theory
@testable import LofiVAE

@Suite struct OverfitTests {
    /// Six POP909-like songs; a small model must learn to reconstruct them almost exactly.
    static func songs() -> [Song] {
        var rng = SplitMix64(seed: 4)
        return (0..<6).map { k in
            let n = [4, 4, 8, 8, 6, 5][k]
            let chords = (0..<n).map { _ in rng.int(in: 1...7) }
            let melodies = (0..<n).map { _ in (0..<8).map { _ in rng.chance(0.2) ? 0 : rng.int(in: 1...14) } }
            return Song(key: rng.int(in: 1...12), mode: rng.chance(0.5) ? 1 : 6, bpm: Double(rng.int(in: 70...100)),
                        energy: rng.unit(), valence: rng.unit(), chords: chords, melodies: melodies)
        }
    }

    @Test func aHandfulOfSongsIsReconstructedAlmostExactly() {
        let params = VAEParameters(shape: VAEShape(hidden: 32, small: 8), seed: 3)
        let step = VAEStep(params)
        var adam = AdamW(learningRate: 3e-3, weightDecay: 0)
        let batch = TrainingBatch(Self.songs())
        var rng = SplitMix64(seed: 1)
        for i in 0..<400 {
            params.zeroGrad()
            let tf = max(0, 1 - Double(i) / 250)
            _ = step.run(batch, objective: Objective(klWeight: 0.1, teacherForcing: tf, sample: true), rng: &rng)
            adam.step(params.all)
        }
        let m = step.run(batch, objective: Objective(klWeight: 0.1, teacherForcing: 0, sample: false), rng: &rng, backward: false)
        print("overfit: chord accuracy \(m.chordAccuracy), melody accuracy \(m.melodyAccuracy)")
        #expect(m.chordAccuracy >= 0.95, "chord accuracy \(m.chordAccuracy)")
        #expect(m.melodyAccuracy >= 0.9, "melody accuracy \(m.melodyAccuracy)")
    }
}
