import Foundation
import Testing
import Theory
@testable import LofiVAE

/// Analytic gradients against central finite differences of the total loss, for every
/// parameter tensor of a small model (hidden 4): embeddings, Linear layers, the decoder's
/// LSTM cells, the encoder's bidirectional LSTMs over songs of different lengths, the masked
/// cross-entropies, the L1 and KL terms.
@Suite struct GradientTests {
    static func songs() -> [Song] {
        [Song(key: 3, mode: 1, bpm: 80, energy: 0.3, valence: 0.7, chords: [1, 5], melodies: [[1, 1, 3, 0, 5, 5, 8, 9], [7, 0, 0, 2, 2, 2, 4, 4]]),
         Song(key: 8, mode: 6, bpm: 95, energy: 0.8, valence: 0.2, chords: [6, 4, 0], melodies: [[3, 3, 3, 3, 0, 1, 1, 2], [0, 0, 0, 0, 0, 0, 0, 0], [14, 13, 12, 11, 10, 9, 8, 7]]),
         Song(key: 1, mode: 2, bpm: 70, energy: 0.5, valence: 0.5, chords: [2], melodies: [[5, 6, 7, 8, 9, 10, 11, 12]])]
    }

    func check(teacherForcing: Double, tolerance: Double, tokenDropout: Double = 0, melodyWeight: Double = 1) {
        let params = VAEParameters(shape: VAEShape(hidden: 4, small: 3), seed: 11)
        let step = VAEStep(params)
        let batch = TrainingBatch(Self.songs())
        let objective = Objective(klWeight: 1, teacherForcing: teacherForcing, sample: true, tokenDropout: tokenDropout, melodyWeight: melodyWeight)
        func loss() -> Double {
            var rng = SplitMix64(seed: 5)
            return step.run(batch, objective: objective, rng: &rng, backward: false).loss
        }
        params.zeroGrad()
        var rng = SplitMix64(seed: 5)
        _ = step.run(batch, objective: objective, rng: &rng)
        var probe = SplitMix64(seed: 99)
        var worst = 0.0, checked = 0, failures: [String] = []
        for p in params.all {
            let analytic = p.gradient
            for _ in 0..<min(4, p.count) {
                let i = probe.int(in: 0...(p.count - 1))
                let original = p.p[i]
                let h: Float = 2e-3
                p.p[i] = original + h; let up = loss()
                p.p[i] = original - h; let down = loss()
                p.p[i] = original
                let numeric = (up - down) / (2 * Double(h))
                let a = Double(analytic[i])
                // The floor follows the loss's scale: finite differences of a larger float32 loss are noisier.
                let error = abs(a - numeric) / max(abs(a), abs(numeric), 1e-3 * max(1, melodyWeight))
                worst = max(worst, error)
                checked += 1
                if error > tolerance { failures.append("\(p.name)[\(i)]: analytic \(a), numeric \(numeric)") }
            }
        }
        print("gradient check: \(checked) entries, worst relative error \(worst), failures \(failures.count)")
        #expect(checked > 150)
        #expect(failures.count <= 1, "\(failures.count) mismatches: \(failures.prefix(6).joined(separator: "; "))")
    }

    @Test func fullModelStepWithTeacherForcing() { check(teacherForcing: 1, tolerance: 0.05) }

    @Test func fullModelStepFreeRunning() { check(teacherForcing: 0, tolerance: 0.05) }

    @Test func fullModelStepWithTokenDropout() { check(teacherForcing: 1, tolerance: 0.05, tokenDropout: 0.5) }

    /// The melody cross-entropy weighted against the rest: its gradient must scale with it
    /// (left unscaled, the melody-driven entries would be off by 60 %).
    @Test func fullModelStepWithMelodyWeight() { check(teacherForcing: 1, tolerance: 0.05, melodyWeight: 2.5) }
}
