import Foundation
import Testing
import Theory
@testable import LofiVAE

@Suite struct LatentWhiteningTests {
    /// Σ = L·Lᵀ with L = [[2,0,0],[1,3,0],[-1,1,2]], worked by hand.
    @Test func choleskyOfAHandWorkedMatrix() {
        let sigma = Matrix(rows: 3, columns: 3, values: [4, 2, -2, 2, 10, 2, -2, 2, 6])
        let l = sigma.cholesky()
        #expect(l.values == [2, 0, 0, 1, 3, 0, -1, 1, 2])
        let identity = l * l.lowerTriangularInverse()
        for i in 0..<3 { for j in 0..<3 { #expect(abs(identity[i, j] - (i == j ? 1 : 0)) < 1e-12) } }
    }

    /// A random latent mean c and lower-triangular scale A with a positive diagonal.
    static func randomWhitening(_ hidden: Int, seed: UInt64) -> LatentWhitening {
        var rng = SplitMix64(seed: seed)
        var a = Matrix(rows: hidden, columns: hidden)
        for i in 0..<hidden {
            for j in 0..<i { a[i, j] = (rng.unit() - 0.5) * 0.3 }
            a[i, i] = 0.5 + rng.unit()
        }
        return LatentWhitening(mean: (0..<hidden).map { _ in rng.unit() * 2 - 1 }, scale: a)
    }

    static let songs = [
        Song(key: 3, mode: 1, bpm: 80, energy: 0.3, valence: 0.7, chords: [1, 5, 6, 4],
             melodies: [[1, 1, 3, 0, 5, 5, 8, 9], [7, 0, 0, 2, 2, 2, 4, 4], [3, 3, 5, 5, 6, 6, 0, 0], [1, 2, 3, 4, 5, 6, 7, 8]]),
        Song(key: 8, mode: 6, bpm: 95, energy: 0.8, valence: 0.2, chords: [6, 4],
             melodies: [[3, 3, 3, 3, 0, 1, 1, 2], [14, 13, 12, 11, 10, 9, 8, 7]]),
        Song(key: 1, mode: 1, bpm: 70, energy: 0.5, valence: 0.5, chords: [2, 5, 1],
             melodies: [[5, 6, 7, 8, 9, 10, 11, 12], [0, 0, 0, 0, 5, 5, 5, 5], [8, 8, 8, 8, 8, 8, 8, 8]]),
    ]

    /// Folding z_old = A·z + c into the weights: decoding z with the folded model is decoding
    /// A·z + c with the original, chord by chord and note by note, and the folded encoder
    /// gives A⁻¹(μ − c).
    @Test func theFoldedModelDecodesZAsTheOriginalDecodesAZPlusC() throws {
        let params = VAEParameters(shape: VAEShape(hidden: 100), seed: 3, forgetBias: 1)
        let w = Self.randomWhitening(100, seed: 9)
        let original = try Lofi2LofiDecoder(params.stateDict), folded = try Lofi2LofiDecoder(w.folded(params.stateDict))
        let z = LatentSampler(seed: 4).latents(count: 6)
        let mapped = z.map { row in (w.scale * row.map(Double.init)).enumerated().map { Float($0.element + w.mean[$0.offset]) } }
        let a = original.decodeLiterally(Tensor(shape: [6, 100], storage: mapped.flatMap { $0 }))
        let b = folded.decodeLiterally(Tensor(shape: [6, 100], storage: z.flatMap { $0 }))
        for (x, y) in zip(a, b) {
            #expect(x.chords == y.chords && x.melody == y.melody)
            #expect(x.keyIndex == y.keyIndex && x.modeIndex == y.modeIndex)
            for (p, q) in zip(x.firstChordLogits + x.firstMelodyLogits + [x.tempo, x.energy, x.valence],
                              y.firstChordLogits + y.firstMelodyLogits + [y.tempo, y.energy, y.valence]) {
                #expect(abs(p - q) < 1e-4, "\(p) vs \(q)")
            }
        }
        // The encoder: μ in the new coordinates.
        let foldedParams = try VAEParameters(loading: w.folded(params.stateDict))
        let batch = TrainingBatch(Self.songs)
        let mu = LofiModel.latentMeans(params, batch), muFolded = LofiModel.latentMeans(foldedParams, batch)
        let inverse = w.scale.lowerTriangularInverse()
        for s in 0..<Self.songs.count {
            let expected = inverse * (0..<100).map { Double(mu[s][$0]) - w.mean[$0] }
            for i in 0..<100 { #expect(abs(Double(muFolded[s][i]) - expected[i]) < 1e-4) }
        }
    }

    /// The fit against the pooled posterior computed naively: songs encoded one at a time,
    /// c = mean of μ, A·Aᵀ = Cov(μ) + mean of σ².
    @Test func theFitIsTheMeanAndCovarianceOfThePooledPosteriors() {
        let H = 8
        let params = VAEParameters(shape: VAEShape(hidden: H, small: 4), seed: 5)
        var rng = SplitMix64(seed: 2)
        let songs = (0..<40).map { k in
            let n = [2, 4, 3, 5][k % 4]
            return Song(key: rng.int(in: 1...12), mode: 1, bpm: 85, energy: rng.unit(), valence: rng.unit(),
                        chords: (0..<n).map { _ in rng.int(in: 1...7) }, melodies: (0..<n).map { _ in (0..<8).map { _ in rng.int(in: 0...14) } })
        }
        let w = LatentWhitening.fit(params, songs: songs, batchSize: 7)
        var mus: [[Double]] = [], variances: [[Double]] = []
        let step = VAEStep(params)
        withExtendedLifetime(step) {
            for s in songs {
                let mu = step.encode(TrainingBatch([s]))
                mus.append((0..<H).map { Double(mu[$0]) })
                variances.append((0..<H).map { Double(exp(step.logVar.pointer[$0])) })
            }
        }
        let n = Double(songs.count)
        let mean = (0..<H).map { i in mus.reduce(0) { $0 + $1[i] } / n }
        for i in 0..<H { #expect(abs(w.mean[i] - mean[i]) < 1e-5) }
        let aat = w.scale * Matrix(rows: H, columns: H, values: (0..<(H * H)).map { w.scale[$0 % H, $0 / H] })
        for i in 0..<H {
            for j in 0..<H {
                var cov = mus.reduce(0) { $0 + ($1[i] - mean[i]) * ($1[j] - mean[j]) } / n
                if i == j { cov += variances.reduce(0) { $0 + $1[i] } / n }
                #expect(abs(aat[i, j] - cov) < 1e-4, "Σ[\(i),\(j)]: \(aat[i, j]) vs \(cov)")
            }
        }
    }
}
