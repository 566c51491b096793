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
        let h: Float = 2e-3
        // Central differences of a float32 loss: each evaluation sums ~10² rounded terms, so
        // the difference of two is good to a few ulps of the loss (4 here), divided by 2h.
        let base = loss()
        let noise = 4 * Double(Float(base).ulp) / (2 * Double(h))
        var worst = 0.0, checked = 0, resolved = 0, failures: [String] = [], report: [String] = []
        func numeric(_ p: Parameter, _ i: Int) -> Double {
            let original = p.p[i]
            p.p[i] = original + h; let up = loss()
            p.p[i] = original - h; let down = loss()
            p.p[i] = original
            return (up - down) / (2 * Double(h))
        }
        for p in params.all {
            let analytic = p.gradient
            // Probe entries the batch uses (non-zero analytic gradient): an unused embedding
            // row is 0 on both sides and proves nothing. One unused entry, where there is one,
            // must be 0 numerically too.
            let used = (0..<p.count).filter { analytic[$0] != 0 }
            if let unused = (0..<p.count).first(where: { analytic[$0] == 0 }) {
                let n = numeric(p, unused)
                if abs(n) > noise { failures.append("\(p.name)[\(unused)]: analytic 0, numeric \(n)") }
            }
            var picks = Set<Int>()
            while picks.count < min(4, used.count) { picks.insert(used[probe.int(in: 0...(used.count - 1))]) }
            for i in picks.sorted() {
                let n = numeric(p, i), a = Double(analytic[i])
                checked += 1
                // Relative error means something only well above the noise floor.
                if max(abs(a), abs(n)) > 10 * noise {
                    worst = max(worst, abs(a - n) / max(abs(a), abs(n)))
                    resolved += 1
                }
                if abs(a - n) > 0.05 * max(abs(a), abs(n)) + noise { failures.append("\(p.name)[\(i)]: analytic \(a), numeric \(n)") }
            }
            report.append("\(p.name) \(picks.count)/\(used.count)")
        }
        print("gradient check: \(checked) probes of used entries (tensor probed/used: \(report.joined(separator: ", "))); \(resolved) above 10× the noise floor \(noise), worst relative error among them \(worst); failures \(failures.count)")
        #expect(checked > 150 && resolved >= 80, "\(checked) probes, \(resolved) resolvable")
        #expect(failures.isEmpty, "\(failures.count) mismatches: \(failures.prefix(6).joined(separator: "; "))")
    }

    @Test func fullModelStepWithTeacherForcing() { check(teacherForcing: 1, tolerance: 0.05) }

    @Test func fullModelStepFreeRunning() { check(teacherForcing: 0, tolerance: 0.05) }

    @Test func fullModelStepWithTokenDropout() { check(teacherForcing: 1, tolerance: 0.05, tokenDropout: 0.5) }

    /// The melody cross-entropy weighted against the rest: its gradient must scale with it
    /// (left unscaled, the melody-driven entries would be off by 60 %).
    @Test func fullModelStepWithMelodyWeight() { check(teacherForcing: 1, tolerance: 0.05, melodyWeight: 2.5) }
}
