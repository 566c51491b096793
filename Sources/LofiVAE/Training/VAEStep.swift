import Foundation
import Theory

/// Losses and accuracies of one step.
public struct StepMetrics: Sendable {
    public var loss: Double = 0
    public var chordLoss: Double = 0
    public var melodyLoss: Double = 0
    public var kl: Double = 0
    public var chordAccuracy: Double = 0
    public var melodyAccuracy: Double = 0
    public var chordCount = 0
    public var melodyCount = 0
}

/// Options of the objective.
public struct Objective: Sendable {
    /// Weight of the KL term (annealed by the trainer).
    public var klWeight: Double = 1
    /// Probability that a decoder step is fed the target instead of its own argmax.
    public var teacherForcing: Double = 0
    /// Whether z is sampled (training) or μ (evaluation).
    public var sample = true
    /// Probability that a melody step gets no previous-note input (word dropout, Bowman et al.
    /// 2016): the decoder cannot just copy its last note and has to read the melody from z.
    public var tokenDropout: Double = 0
    /// Weight of the melody cross-entropy against the chord cross-entropy and the KL term (1 in
    /// the reference): it moves the latent's capacity towards the melody, the part the decoder
    /// reconstructs worst (MODEL.md).
    public var melodyWeight: Double = 1
    public init(klWeight: Double = 1, teacherForcing: Double = 0, sample: Bool = true, tokenDropout: Double = 0, melodyWeight: Double = 1) {
        self.klWeight = klWeight
        self.teacherForcing = teacherForcing
        self.sample = sample
        self.tokenDropout = tokenDropout
        self.melodyWeight = melodyWeight
    }
}

/// One forward and backward pass of the whole VAE (LOFI2LOFI.md's encoder and decoder) over a
/// batch; gradients accumulate into the parameters.
public final class VAEStep {
    let P: VAEParameters
    let H: Int, S: Int
    let encChordF, encChordB, encMelF, encMelB: LSTMDirectionPass
    let decoder: DecoderPass
    let feature = Buffer(), hEnc = Buffer(), mu = Buffer(), logVar = Buffer(), eps = Buffer(), z = Buffer()
    let dz = Buffer(), dMu = Buffer(), dLogVar = Buffer(), dh = Buffer(), dFeature = Buffer(), small = Buffer(), dSmall = Buffer()
    let dLogC = Buffer(), dLogM = Buffer(), headU = Buffer(), headOut = Buffer(), dHeadOut = Buffer(), dHeadU = Buffer()

    public init(_ p: VAEParameters) {
        P = p
        H = p.shape.hidden
        S = p.shape.small
        encChordF = LSTMDirectionPass(p, embedding: "encoder.chord_embeddings.weight", lstm: "encoder.chords_lstm", reverse: false)
        encChordB = LSTMDirectionPass(p, embedding: "encoder.chord_embeddings.weight", lstm: "encoder.chords_lstm", reverse: true)
        encMelF = LSTMDirectionPass(p, embedding: "encoder.melody_embeddings.weight", lstm: "encoder.melody_lstm", reverse: false)
        encMelB = LSTMDirectionPass(p, embedding: "encoder.melody_embeddings.weight", lstm: "encoder.melody_lstm", reverse: true)
        decoder = DecoderPass(p)
    }

    /// Encodes: returns μ [B×H] (and keeps log σ² and activations, with what backward needs
    /// when `forBackward`).
    func encode(_ batch: TrainingBatch, forBackward: Bool = false) -> UnsafeMutablePointer<Float> {
        let B = batch.size, N = batch.maxChords, H = self.H, S = self.S
        let width = 4 * H + 5 * S
        let f = feature.reserve(B * width, zero: false)
        let parts = [encChordF.forward(tokens: batch.chords, lengths: batch.lengths, B: B, T: N, forBackward: forBackward),
                     encChordB.forward(tokens: batch.chords, lengths: batch.lengths, B: B, T: N, forBackward: forBackward),
                     encMelF.forward(tokens: batch.melody, lengths: batch.melodyLengths, B: B, T: 8 * N, forBackward: forBackward),
                     encMelB.forward(tokens: batch.melody, lengths: batch.melodyLengths, B: B, T: 8 * N, forBackward: forBackward)]
        let sm = small.reserve(B * 5 * S, zero: false)
        for b in 0..<B {
            for (k, part) in parts.enumerated() { (f + b * width + k * H).update(from: part + b * H, count: H) }
            let row = sm + b * 5 * S
            for (k, (name, x)) in [("encoder.tempo_linear", batch.tempo[b]), ("encoder.valence_linear", batch.valence[b]),
                                   ("encoder.energy_linear", batch.energy[b])].enumerated() {
                let w = P["\(name).weight"], bias = P["\(name).bias"]
                for j in 0..<S { row[k * S + j] = w.p[j] * x + bias.p[j] }
            }
            (row + 3 * S).update(from: P["encoder.key_embeddings.weight"].p + batch.keys[b] * S, count: S)
            (row + 4 * S).update(from: P["encoder.mode_embeddings.weight"].p + batch.modes[b] * S, count: S)
            (f + b * width + 4 * H).update(from: row, count: 5 * S)
        }
        let h = hEnc.reserve(B * H, zero: false)
        linearForward(f, rows: B, P["encoder.downsample.weight"], P["encoder.downsample.bias"], into: h)
        let m = mu.reserve(B * H, zero: false), lv = logVar.reserve(B * H, zero: false)
        linearForward(h, rows: B, P["encoder.mean_linear.weight"], P["encoder.mean_linear.bias"], into: m)
        linearForward(h, rows: B, P["encoder.variance_linear.weight"], P["encoder.variance_linear.bias"], into: lv)
        return m
    }

    /// Forward and backward over a batch; returns the metrics. `rng` draws ε and teacher forcing.
    public func run(_ batch: TrainingBatch, objective: Objective, rng: inout SplitMix64, backward: Bool = true) -> StepMetrics {
        let B = batch.size, N = batch.maxChords, H = self.H
        let m = encode(batch, forBackward: backward), lv = logVar.pointer
        let e = eps.reserve(B * H, zero: false), zp = z.reserve(B * H, zero: false)
        for i in 0..<(B * H) {
            if objective.sample {
                let u1 = 1 - rng.unit(), u2 = rng.unit()
                e[i] = Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
            } else {
                e[i] = 0
            }
            zp[i] = m[i] + e[i] * expf(lv[i] / 2)
        }
        var forceC = [Bool](repeating: false, count: (N + 1) * B), forceM = [Bool](repeating: false, count: 8 * N * B)
        if objective.teacherForcing > 0 {
            for i in forceC.indices { forceC[i] = rng.chance(objective.teacherForcing) }
            for i in forceM.indices { forceM[i] = rng.chance(objective.teacherForcing) }
        }
        var dropM = [Bool](repeating: false, count: 8 * N * B)
        if objective.tokenDropout > 0 { for i in dropM.indices { dropM[i] = rng.chance(objective.tokenDropout) } }
        decoder.forward(z: zp, B: B, N: N, targetC: batch.targetChords, targetM: batch.targetMelody, forceC: forceC, forceM: forceM, dropM: dropM,
                       forBackward: backward)

        var metrics = StepMetrics()
        let dC = dLogC.reserve((N + 1) * B * 9), dM = dLogM.reserve(max(1, 8 * N) * B * 15)
        metrics.chordCount = batch.lengths.reduce(0) { $0 + $1 + 1 }
        metrics.melodyCount = batch.melodyLengths.reduce(0, +)
        let (lc, ac) = Self.crossEntropy(decoder.logitsC.pointer, steps: N + 1, B: B, classes: 9, targets: batch.targetChords,
                                         count: metrics.chordCount, grad: dC)
        let (lm, am) = Self.crossEntropy(decoder.logitsM.pointer, steps: 8 * N, B: B, classes: 15, targets: batch.targetMelody,
                                         count: metrics.melodyCount, grad: dM)
        metrics.chordLoss = lc; metrics.melodyLoss = lm; metrics.chordAccuracy = ac; metrics.melodyAccuracy = am
        if objective.melodyWeight != 1 {
            let w = Float(objective.melodyWeight)
            for i in 0..<(8 * N * B * 15) { dM[i] *= w }
        }
        var kl = 0.0
        for i in 0..<(B * H) { kl += Double(m[i] * m[i] + expf(lv[i]) - lv[i] - 1) }
        kl *= 0.5 / Double(B * H)
        metrics.kl = kl
        let dzp = dz.reserve(B * H)
        let headLoss = zHeads(batch, z: zp, dz: dzp, backward: backward)
        metrics.loss = lc + objective.melodyWeight * lm + objective.klWeight * kl + headLoss
        guard backward else { return metrics }

        decoder.backward(dLogitsC: dC, dLogitsM: dM, dz: dzp, z: zp)
        // Reparameterisation and KL.
        let dm = dMu.reserve(B * H, zero: false), dlv = dLogVar.reserve(B * H, zero: false)
        let beta = Float(objective.klWeight / Double(B * H))
        for i in 0..<(B * H) {
            let s = expf(lv[i] / 2)
            dm[i] = dzp[i] + beta * m[i]
            dlv[i] = dzp[i] * e[i] * 0.5 * s + beta * 0.5 * (s * s - 1)
        }
        encodeBackward(batch, dMu: dm, dLogVar: dlv)
        return metrics
    }

    /// Masked softmax cross-entropy over stacked steps [steps×B×classes]; writes its gradient
    /// (already divided by the count) and returns (mean loss, accuracy).
    static func crossEntropy(_ logits: UnsafePointer<Float>, steps: Int, B: Int, classes: Int, targets: [Int32], count: Int,
                             grad: UnsafeMutablePointer<Float>) -> (Double, Double) {
        var loss = 0.0, correct = 0
        let scale = 1 / Float(max(count, 1))
        for s in 0..<steps {
            for b in 0..<B {
                let t = Int(targets[b * steps + s])
                let row = logits + (s * B + b) * classes, g = grad + (s * B + b) * classes
                guard t >= 0 else { for k in 0..<classes { g[k] = 0 }; continue }
                var mx = row[0], arg = 0
                for k in 1..<classes where row[k] > mx { mx = row[k]; arg = k }
                var sum: Float = 0
                for k in 0..<classes { g[k] = expf(row[k] - mx); sum += g[k] }
                loss += Double(log(sum) + mx - row[t])
                for k in 0..<classes { g[k] = g[k] / sum * scale }
                g[t] -= scale
                if arg == t { correct += 1 }
            }
        }
        return (loss / Double(max(count, 1)), Double(correct) / Double(max(count, 1)))
    }

    /// The five heads read from z, with their losses: L1(tempo)/5 + CE(key)/30 + CE(mode)/10
    /// + L1(valence)/5 + L1(energy)/5. Adds their gradient into dz when `backward`.
    func zHeads(_ batch: TrainingBatch, z: UnsafePointer<Float>, dz: UnsafeMutablePointer<Float>, backward: Bool) -> Double {
        let B = batch.size, S = self.S
        var total = 0.0
        for (name, kind, weight) in [("tempo_linear", 0, 0.2), ("key_linear", 1, 1.0 / 30), ("mode_linear", 2, 0.1),
                                     ("valence_linear", 3, 0.2), ("energy_linear", 4, 0.2)] {
            let w1 = P["\(name).0.weight"], b1 = P["\(name).0.bias"], w2 = P["\(name).2.weight"], b2 = P["\(name).2.bias"]
            let out = w2.shape[0]
            let u = headU.reserve(B * S, zero: false), y = headOut.reserve(B * out, zero: false), dy = dHeadOut.reserve(B * out)
            linearForward(z, rows: B, w1, b1, into: u)
            for i in 0..<(B * S) where u[i] < 0 { u[i] = 0 }
            linearForward(u, rows: B, w2, b2, into: y)
            var loss = 0.0
            switch kind {
            case 1, 2:
                let targets = (kind == 1 ? batch.keys : batch.modes).map(Int32.init)
                loss = Self.crossEntropy(y, steps: 1, B: B, classes: out, targets: targets, count: B, grad: dy).0
                for i in 0..<(B * out) { dy[i] *= Float(weight) }
            default:
                let target = kind == 0 ? batch.tempo : (kind == 3 ? batch.valence : batch.energy)
                for b in 0..<B {
                    let d = y[b] - target[b]
                    loss += Double(abs(d)) / Double(B)
                    dy[b] = Float(weight) * (d > 0 ? 1 : (d < 0 ? -1 : 0)) / Float(B)
                }
            }
            total += weight * loss
            guard backward else { continue }
            let du = dHeadU.reserve(B * S, zero: false)
            linearBackward(u, dy, rows: B, w2, b2, dx: du)
            for i in 0..<(B * S) where u[i] <= 0 { du[i] = 0 }
            linearBackward(z, du, rows: B, w1, b1, dx: dz, accumulate: true)
        }
        return total
    }

    func encodeBackward(_ batch: TrainingBatch, dMu: UnsafePointer<Float>, dLogVar: UnsafePointer<Float>) {
        let B = batch.size, H = self.H, S = self.S
        let width = 4 * H + 5 * S
        let dhp = dh.reserve(B * H, zero: false)
        linearBackward(hEnc.pointer, dMu, rows: B, P["encoder.mean_linear.weight"], P["encoder.mean_linear.bias"], dx: dhp)
        linearBackward(hEnc.pointer, dLogVar, rows: B, P["encoder.variance_linear.weight"], P["encoder.variance_linear.bias"], dx: dhp, accumulate: true)
        let df = dFeature.reserve(B * width, zero: false)
        linearBackward(feature.pointer, dhp, rows: B, P["encoder.downsample.weight"], P["encoder.downsample.bias"], dx: df)
        // Small conditioning features.
        for b in 0..<B {
            let row = df + b * width + 4 * H
            for (k, (name, x)) in [("encoder.tempo_linear", batch.tempo[b]), ("encoder.valence_linear", batch.valence[b]),
                                   ("encoder.energy_linear", batch.energy[b])].enumerated() {
                let w = P["\(name).weight"], bias = P["\(name).bias"]
                for j in 0..<S { w.g[j] += row[k * S + j] * x; bias.g[j] += row[k * S + j] }
            }
            let key = P["encoder.key_embeddings.weight"], mode = P["encoder.mode_embeddings.weight"]
            for j in 0..<S { key.g[batch.keys[b] * S + j] += row[3 * S + j]; mode.g[batch.modes[b] * S + j] += row[4 * S + j] }
        }
        // The four LSTM directions.
        let part = dSmall.reserve(B * H, zero: false)
        for (k, pass) in [encChordF, encChordB, encMelF, encMelB].enumerated() {
            for b in 0..<B { (part + b * H).update(from: df + b * width + k * H, count: H) }
            pass.backward(part)
        }
    }
}
