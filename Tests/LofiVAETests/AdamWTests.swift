import Foundation
import Testing
@testable import LofiVAE

/// AdamW's update worked by hand (Loshchilov & Hutter, algorithm 2, with bias correction):
/// m = (1−β1)g, v = (1−β2)g² after one step, so the Adam step is lr·ĝ/(|ĝ|+ε) ≈ lr·sign(g),
/// and a decaying weight also loses lr·λ·w.
@Suite struct AdamWTests {
    @Test func firstStepMovesByTheLearningRateAndDecaysWeightsOnly() {
        let w = Parameter("layer.weight", [2], value: [1.0, -2.0])
        let b = Parameter("layer.bias", [1], value: [0.5])
        w.g[0] = 0.3; w.g[1] = -0.1; b.g[0] = 0.2
        var adam = AdamW(learningRate: 0.01, weightDecay: 0.1)
        adam.clipNorm = nil
        adam.step([w, b])
        // w0: 1 − 0.01·0.1·1 − 0.01·1 = 0.989;  w1: −2 − 0.01·0.1·(−2) + 0.01 = −1.988
        #expect(abs(w.value[0] - 0.989) < 1e-6)
        #expect(abs(w.value[1] - -1.988) < 1e-6)
        // The bias is not decayed: 0.5 − 0.01 = 0.49.
        #expect(abs(b.value[0] - 0.49) < 1e-6)
    }

    @Test func secondStepFollowsTheMomentsAndClippingScalesTheGradient() {
        let w = Parameter("w.weight", [1], value: [0])
        var adam = AdamW(learningRate: 0.1, weightDecay: 0)
        adam.clipNorm = 1
        w.g[0] = 4   // clipped to 1
        let norm = adam.step([w])
        #expect(norm == 4)
        w.g[0] = -0.5  // below the clip norm
        adam.step([w])
        // m = 0.9·0.1·1 + 0.1·(−0.5) = 0.04; v = 0.999·0.001·1 + 0.001·0.25 = 0.001249
        // m̂ = 0.04/0.19; v̂ = 0.001249/(1 − 0.999²) = 0.001249/0.001999
        let mHat = 0.04 / 0.19, vHat = 0.001249 / 0.001999
        let expected = -0.1 - 0.1 * mHat / (vHat.squareRoot() + 1e-8)
        #expect(abs(Double(w.value[0]) - expected) < 1e-5, "\(w.value[0]) vs \(expected)")
    }
}
