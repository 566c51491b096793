import Foundation
import Theory

/// The latent space re-expressed so that the standard normal prior that `sample` draws from
/// matches where the data's songs actually lie (to second order).
///
/// After training, the aggregate posterior q(z) (every training song's N(μ, σ²) pooled) has a
/// mean c and a covariance Σ that are not exactly 0 and I: a direction that codes song length
/// may spread twice as wide as the prior, so prior samples rarely reach 4- or 16-chord songs.
/// With A the Cholesky factor of Σ (A·Aᵀ = Σ), the substitution z_old = A·z + c maps
/// z ~ N(0, I) onto N(c, Σ). Everything in the decoder that reads z, or the vectors that
/// share z's input weights (`chord_in`, `melody_in`), is affine in them, so the substitution
/// folds exactly into the weights: the architecture, the 100-number latent and every decode
/// stay as they were, and reconstruction (encode to μ, decode) gives the same songs.
public struct LatentWhitening: Sendable, Equatable {
    /// c: the aggregate posterior's mean.
    public let mean: [Double]
    /// A: the lower-triangular Cholesky factor of its covariance, H×H row-major.
    public let scale: Matrix

    public var hidden: Int { mean.count }

    public init(mean: [Double], scale: Matrix) {
        precondition(scale.rows == mean.count && scale.columns == mean.count, "scale must be \(mean.count)×\(mean.count)")
        self.mean = mean
        self.scale = scale
    }

    /// Fits c and Σ = Cov(μ) + mean(σ²) (the covariance of the pooled posteriors) over `songs`
    /// encoded by `params`, on every core. Each batch's moments are summed on their own and
    /// then added in batch order, so the result does not depend on the number of cores. A tiny
    /// ridge keeps Σ positive definite when a direction is unused.
    public static func fit(_ params: VAEParameters, songs: [Song], batchSize: Int = 256) -> LatentWhitening {
        let H = params.shape.hidden
        // Songs of similar length together: the encoder's work follows the longest in a batch.
        let ordered = songs.sorted { $0.progression.count < $1.progression.count }
        let batches = stride(from: 0, to: ordered.count, by: batchSize).map { TrainingBatch(Array(ordered[$0..<min(ordered.count, $0 + batchSize)])) }
        let cores = max(1, min(ProcessInfo.processInfo.activeProcessorCount, batches.count))
        let parts = concurrentMap(cores) { k -> [PooledMoments] in
            let step = VAEStep(params)
            return stride(from: k, to: batches.count, by: cores).map { PooledMoments(batches[$0], step: step) }
        }
        var total = PooledMoments(hidden: H)
        for b in 0..<batches.count { total.add(parts[b % cores][b / cores]) }

        let n = Double(max(songs.count, 1))
        let c = total.sum.map { $0 / n }
        var sigma = Matrix(rows: H, columns: H)
        for i in 0..<H {
            for j in 0...i {
                var v = total.outer[i * H + j] / n - c[i] * c[j]
                if i == j { v += total.variance[i] / n + 1e-6 }
                sigma[i, j] = v
                sigma[j, i] = v
            }
        }
        return LatentWhitening(mean: c, scale: sigma.cholesky())
    }

    /// `dict` (a whole VAE's tensors) with z_old = A·z + c folded in. Every vector the
    /// decoder's LSTMs take as input (z at the first chord step, `chord_in`, `melody_in`) moves
    /// to the new coordinates x = A⁻¹(x_old − c), so their shared input weights take W·A and
    /// the bias W·c; the layers that produce `chord_in` and `melody_in` are premultiplied by
    /// A⁻¹; the heads read z through W·A. The encoder's mean head gives A⁻¹(μ − c). Its
    /// log-variance head stays in the training coordinates: only training reads it, and
    /// training resumes from its own state, not from this file.
    public func folded(_ dict: StateDict) -> StateDict {
        let H = hidden, A = scale, inverse = scale.lowerTriangularInverse()
        var out = dict
        func matrix(_ name: String) -> Matrix { Matrix(dict[name]!) }
        func vector(_ name: String) -> [Double] { dict[name]!.storage.map(Double.init) }
        func put(_ name: String, _ m: Matrix) { out[name] = m.tensor(shape: dict[name]!.shape) }
        func put(_ name: String, _ v: [Double]) { out[name] = Tensor(shape: dict[name]!.shape, storage: v.map(Float.init)) }

        // Layers whose input is z (the heads) or shares z's coordinates (the LSTM inputs).
        let heads = ["tempo_linear", "key_linear", "mode_linear", "valence_linear", "energy_linear"].map { "\($0).0" }
        for (weight, bias) in heads.map({ ("\($0).weight", "\($0).bias") }) + [("chords_lstm.weight_ih", "chords_lstm.bias_ih"),
                                                                                ("melody_lstm.weight_ih", "melody_lstm.bias_ih")] {
            let w = matrix(weight)
            put(weight, w * A)
            put(bias, zip(vector(bias), w * mean).map(+))
        }
        // chord_in = W_e·e + W_z·z + b, in the new coordinates.
        let cd = matrix("chord_embedding_downsample.weight")
        let cdE = cd.columns(0..<H), cdZ = cd.columns(H..<(2 * H))
        put("chord_embedding_downsample.weight", Matrix(sideBySide: [inverse * cdE, inverse * cdZ * A]))
        put("chord_embedding_downsample.bias", inverse * zip(zip(cdZ * mean, vector("chord_embedding_downsample.bias")).map(+), mean).map(-))
        // melody_in = W_m·m + W_c·chord_in + W_z·z + b, in the new coordinates.
        let md = matrix("melody_embedding_downsample.weight")
        let mdM = md.columns(0..<H), mdC = md.columns(H..<(2 * H)), mdZ = md.columns((2 * H)..<(3 * H))
        put("melody_embedding_downsample.weight", Matrix(sideBySide: [inverse * mdM, inverse * mdC * A, inverse * mdZ * A]))
        let mdBias = zip(zip(zip(mdC * mean, mdZ * mean).map(+), vector("melody_embedding_downsample.bias")).map(+), mean).map(-)
        put("melody_embedding_downsample.bias", inverse * mdBias)
        // The encoder's μ in the new coordinates, for reconstruction and morphs.
        if dict["encoder.mean_linear.weight"] != nil {
            put("encoder.mean_linear.weight", inverse * matrix("encoder.mean_linear.weight"))
            put("encoder.mean_linear.bias", inverse * zip(vector("encoder.mean_linear.bias"), mean).map(-))
        }
        return out
    }
}

/// Sums over songs of μ, μ·μᵀ (lower triangle) and σ².
private struct PooledMoments {
    var sum: [Double], outer: [Double], variance: [Double]

    init(hidden H: Int) {
        sum = [Double](repeating: 0, count: H)
        outer = [Double](repeating: 0, count: H * H)
        variance = [Double](repeating: 0, count: H)
    }

    /// The moments of one batch encoded by `step`.
    init(_ batch: TrainingBatch, step: VAEStep) {
        let H = step.H
        self.init(hidden: H)
        // The encoder's outputs live in the step's buffers: keep it alive while they are read.
        withExtendedLifetime(step) {
            let mu = step.encode(batch), logVar = step.logVar.pointer
            for b in 0..<batch.size {
                let row = mu + b * H
                for i in 0..<H {
                    let x = Double(row[i])
                    sum[i] += x
                    variance[i] += Double(expf(logVar[b * H + i]))
                    for j in 0...i { outer[i * H + j] += x * Double(row[j]) }
                }
            }
        }
    }

    mutating func add(_ other: PooledMoments) {
        for i in sum.indices { sum[i] += other.sum[i]; variance[i] += other.variance[i] }
        for i in outer.indices { outer[i] += other.outer[i] }
    }
}
