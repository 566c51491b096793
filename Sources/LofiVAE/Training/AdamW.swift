import Foundation

/// AdamW (Loshchilov & Hutter): Adam moments with weight decay applied to the weights
/// directly, decoupled from the gradient; biases are not decayed. Optional global-norm
/// gradient clipping keeps the LSTMs' rare gradient spikes from derailing training.
public struct AdamW: Sendable {
    public var learningRate: Double = 1e-3
    public var weightDecay: Double = 0.1
    public var beta1: Double = 0.9
    public var beta2: Double = 0.999
    public var epsilon: Double = 1e-8
    public var clipNorm: Double? = 5
    public private(set) var steps = 0

    public init(learningRate: Double = 1e-3, weightDecay: Double = 0.1, steps: Int = 0) {
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.steps = steps
    }

    /// One update of every parameter from its gradient; returns the gradient norm before clipping.
    @discardableResult
    public mutating func step(_ params: [Parameter]) -> Double {
        steps += 1
        var norm = 0.0
        for p in params { for i in 0..<p.count { norm += Double(p.g[i]) * Double(p.g[i]) } }
        norm = norm.squareRoot()
        let clip = clipNorm.map { norm > $0 ? Float($0 / norm) : 1 } ?? 1
        let b1 = Float(beta1), b2 = Float(beta2)
        let c1 = Float(1 / (1 - pow(beta1, Double(steps)))), c2 = Float(1 / (1 - pow(beta2, Double(steps))))
        let lr = Float(learningRate), eps = Float(epsilon), decay = Float(learningRate * weightDecay)
        for p in params {
            let d = p.decays ? decay : 0
            for i in 0..<p.count {
                let g = p.g[i] * clip
                p.m[i] = b1 * p.m[i] + (1 - b1) * g
                p.v[i] = b2 * p.v[i] + (1 - b2) * g * g
                p.p[i] -= d * p.p[i] + lr * (p.m[i] * c1) / ((p.v[i] * c2).squareRoot() + eps)
            }
        }
        return norm
    }
}
