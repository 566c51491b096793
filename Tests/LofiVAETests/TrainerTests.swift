import Foundation
import Testing
import Theory
@testable import LofiVAE

@Suite struct TrainerTests {
    static func samples() -> [TrainingSample] {
        var rng = SplitMix64(seed: 21)
        return (0..<48).map { k in
            let n = [4, 8, 6, 4][k % 4]
            let song = Song(key: rng.int(in: 1...12), mode: 1, bpm: 85, energy: rng.unit(), valence: rng.unit(),
                            chords: (0..<n).map { _ in rng.int(in: 1...7) },
                            melodies: (0..<n).map { _ in (0..<8).map { _ in rng.int(in: 0...14) } })
            return TrainingSample(song: song, group: "song-\(k / 2)")
        }
    }

    static func config() -> TrainingConfig {
        var c = TrainingConfig()
        c.epochs = 3; c.batchSize = 16; c.hidden = 8; c.seed = 5; c.workers = 2; c.klWarmupEpochs = 2
        c.finalLearningRate = 1e-4; c.forgetBias = 1   // resuming must restore both
        return c
    }

    @Test func learningRateFollowsAHalfCosine() {
        var c = TrainingConfig()
        c.epochs = 5; c.learningRate = 1e-3; c.finalLearningRate = 1e-4
        // lr(e) = final + (lr − final)·(1 + cos(π·e/4))/2: 1e-3, 8.682e-4, 5.5e-4, 2.318e-4, 1e-4.
        let expected = [1e-3, 8.681981e-4, 5.5e-4, 2.318019e-4, 1e-4]
        for (e, want) in expected.enumerated() { #expect(abs(c.learningRate(epoch: e) - want) < 1e-9, "epoch \(e)") }
        c.finalLearningRate = nil
        #expect((0..<5).allSatisfy { c.learningRate(epoch: $0) == 1e-3 })
    }

    @Test func forgetBiasOpensEveryForgetGateOnly() {
        let H = 8
        let p = VAEParameters(shape: VAEShape(hidden: H, small: 4), seed: 1, forgetBias: 1)
        let plain = VAEParameters(shape: VAEShape(hidden: H, small: 4), seed: 1)
        let lstmBiases = p.all.filter { $0.name.contains(".bias_ih") || $0.name.contains(".bias_hh") }
        #expect(lstmBiases.count == 12)   // 2 decoder LSTMs + 2 bidirectional encoder LSTMs, 2 biases each
        for b in lstmBiases {
            let q = plain[b.name]
            let forget = Array(b.value[H..<(2 * H)])
            #expect(forget == [Float](repeating: b.name.contains("bias_ih") ? 1 : 0, count: H), "\(b.name)")
            // Input, cell and output gates keep PyTorch's initialisation.
            #expect(Array(b.value[0..<H]) == Array(q.value[0..<H]) && Array(b.value[(2 * H)...]) == Array(q.value[(2 * H)...]))
        }
    }

    @Test func resumingGivesTheSameWeightsAsNotStopping() throws {
        let set = SampleSet(Self.samples(), seed: 5)
        let straight = Trainer(config: Self.config(), data: set)
        for _ in 0..<3 { straight.runEpoch() }

        let first = Trainer(config: Self.config(), data: set)
        for _ in 0..<2 { first.runEpoch() }
        let saved = try first.stateBytes()
        let resumed = Trainer(config: Self.config(), data: set)
        try resumed.restore(saved)
        #expect(resumed.completedEpochs == 2)
        resumed.runEpoch()
        for (a, b) in zip(straight.params.all, resumed.params.all) {
            #expect(a.value == b.value, "\(a.name) differs after resuming")
        }
        #expect(straight.history.map(\.trainLoss) == resumed.history.map(\.trainLoss))
    }

    @Test func aStateFromOtherSettingsIsRefused() throws {
        let set = SampleSet(Self.samples(), seed: 5)
        let t = Trainer(config: Self.config(), data: set)
        t.runEpoch()
        var other = Self.config()
        other.batchSize = 8
        #expect(throws: SkipError.self) { try Trainer(config: other, data: set).restore(try t.stateBytes()) }
    }

    @Test func theSplitKeepsSongsWhole() {
        let set = SampleSet(Self.samples(), seed: 5)
        let trainSongs = Set(set.train.map(\.group)), validationSongs = Set(set.validation.map(\.group))
        #expect(trainSongs.isDisjoint(with: validationSongs))
        #expect(!validationSongs.isEmpty && set.train.count + set.validation.count == 48)
    }

    @Test func theTrainedModelLoadsForInference() throws {
        let set = SampleSet(Self.samples(), seed: 5)
        var c = Self.config()
        c.hidden = 100
        c.epochs = 1
        let t = Trainer(config: c, data: set)
        t.runEpoch()
        let (dict, meta) = try Safetensors.decode(t.modelBytes())
        #expect(meta["model"] == "lofi2lofi")
        // The decoder part is exactly what inference reads, and decodes like the literal model.
        let decoder = try Lofi2LofiDecoder(dict)
        let z = Tensor(shape: [4, 100], storage: LatentSampler(seed: 3).latents(count: 4).flatMap { $0 })
        let fast = DecoderEngine(decoder).decode(z), literal = decoder.decodeLiterally(z)
        for (a, b) in zip(fast, literal) { #expect(a.chords == b.chords && a.melody == b.melody) }
    }

    /// What `train` writes is the whitened model: the training songs it was fitted on, encoded
    /// by the written file, have a pooled posterior N(0, I) — checked from encoder outputs
    /// alone. The written mean head is affine in the trained one (μ' = S·μ + t); S is
    /// recovered by least squares over the songs, the trained log-variance head gives σ², and
    /// the pooled covariance in the written coordinates is Cov(μ') + S·diag(mean σ²)·Sᵀ.
    @Test func trainWritesTheWhitenedModel() throws {
        let set = SampleSet(Self.samples(), seed: 5)
        let t = Trainer(config: Self.config(), data: set)
        for _ in 0..<2 { t.runEpoch() }
        let written = try VAEParameters(loading: try Safetensors.decode(t.modelBytes()).0)
        // The songs the whitening is fitted on: every second training window.
        let songs = stride(from: 0, to: set.train.count, by: 2).map { set.train[$0].song }
        func posterior(_ p: VAEParameters) -> (mu: [[Double]], variance: [[Double]]) {
            let step = VAEStep(p), batch = TrainingBatch(songs), H = step.H
            return withExtendedLifetime(step) {
                let mu = step.encode(batch), logVar = step.logVar.pointer
                return ((0..<songs.count).map { b in (0..<H).map { Double(mu[b * H + $0]) } },
                        (0..<songs.count).map { b in (0..<H).map { Double(expf(logVar[b * H + $0])) } })
            }
        }
        let trained = posterior(t.params), whitened = posterior(written)
        let n = songs.count, H = trained.mu[0].count
        #expect(n >= 2 * (H + 1), "\(n) songs to regress \(H + 1) coefficients a dimension")
        // Least squares μ' ≈ [μ, 1]·B through the normal equations (Cholesky, in Double).
        let k = H + 1
        var xtx = Matrix(rows: k, columns: k), xty = Matrix(rows: k, columns: H)
        for s in 0..<n {
            let x = trained.mu[s] + [1]
            for i in 0..<k {
                for j in 0..<k { xtx[i, j] += x[i] * x[j] }
                for j in 0..<H { xty[i, j] += x[i] * whitened.mu[s][j] }
            }
        }
        let linv = xtx.cholesky().lowerTriangularInverse()
        var l = Matrix(rows: k, columns: k)
        for i in 0..<k { for j in 0..<k { for m in 0..<k { l[i, j] += linv[m, i] * linv[m, j] } } }   // (XᵀX)⁻¹ = L⁻ᵀL⁻¹
        var slope = Matrix(rows: H, columns: H)   // S[j, i] = ∂μ'_j/∂μ_i
        var worstFit = 0.0
        for j in 0..<H {
            var b = [Double](repeating: 0, count: k)
            for i in 0..<k { for m in 0..<k { b[i] += l[i, m] * xty[m, j] } }
            for i in 0..<H { slope[j, i] = b[i] }
            for s in 0..<n {
                let fitted = (0..<H).reduce(b[H]) { $0 + b[$1] * trained.mu[s][$1] }
                worstFit = max(worstFit, abs(fitted - whitened.mu[s][j]))
            }
        }
        #expect(worstFit < 1e-4, "the written mean head is affine in the trained one (worst residual \(worstFit))")
        let meanVariance = (0..<H).map { i in trained.variance.reduce(0) { $0 + $1[i] } / Double(n) }
        var worstMean = 0.0, worstCovariance = 0.0
        let centre = (0..<H).map { i in whitened.mu.reduce(0) { $0 + $1[i] } / Double(n) }
        for i in 0..<H {
            worstMean = max(worstMean, abs(centre[i]))
            for j in 0..<H {
                var c = whitened.mu.reduce(0) { $0 + ($1[i] - centre[i]) * ($1[j] - centre[j]) } / Double(n)
                for m in 0..<H { c += slope[i, m] * meanVariance[m] * slope[j, m] }
                worstCovariance = max(worstCovariance, abs(c - (i == j ? 1 : 0)))
            }
        }
        print("written model: pooled posterior mean within \(worstMean) of 0, covariance within \(worstCovariance) of I, over \(n) songs")
        // Float32 weights and encoder outputs: errors of order 1e-6 relative; 1e-3 leaves room.
        #expect(worstMean < 1e-3 && worstCovariance < 1e-3)
    }
}
