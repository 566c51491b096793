import Foundation
import Theory

/// A trainable tensor with its gradient and AdamW moments, under its checkpoint name.
/// Storage is allocated once and never moves, so the training kernels work on raw pointers.
public final class Parameter: @unchecked Sendable {
    public let name: String
    public let shape: [Int]
    public let count: Int
    let p: UnsafeMutablePointer<Float>
    let g: UnsafeMutablePointer<Float>
    let m: UnsafeMutablePointer<Float>
    let v: UnsafeMutablePointer<Float>
    /// Whether weight decay applies (not to biases, as is usual).
    let decays: Bool

    public init(_ name: String, _ shape: [Int], value: [Float]) {
        precondition(value.count == shape.reduce(1, *), "\(name): \(value.count) values for shape \(shape)")
        self.name = name
        self.shape = shape
        count = value.count
        let n = value.count
        let storage = UnsafeMutablePointer<Float>.allocate(capacity: n)
        value.withUnsafeBufferPointer { storage.initialize(from: $0.baseAddress!, count: n) }
        p = storage
        g = .allocate(capacity: n)
        m = .allocate(capacity: n)
        v = .allocate(capacity: n)
        g.initialize(repeating: 0, count: n)
        m.initialize(repeating: 0, count: n)
        v.initialize(repeating: 0, count: n)
        decays = !name.hasSuffix("bias") && !name.contains(".bias_")
    }

    /// PyTorch's default initialisation: uniform in ±1/√fan_in (embeddings: standard normal).
    convenience init(_ name: String, _ shape: [Int], fanIn: Int?, rng: inout SplitMix64) {
        let n = shape.reduce(1, *)
        var value = [Float](repeating: 0, count: n)
        if let fanIn {
            let bound = 1 / Double(fanIn).squareRoot()
            for i in 0..<n { value[i] = Float((rng.unit() * 2 - 1) * bound) }
        } else {
            for i in 0..<n {
                let u1 = 1 - rng.unit(), u2 = rng.unit()
                value[i] = Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
            }
        }
        self.init(name, shape, value: value)
    }

    deinit {
        p.deallocate(); g.deallocate(); m.deallocate(); v.deallocate()
    }

    public var value: [Float] { Array(UnsafeBufferPointer(start: p, count: count)) }
    public var gradient: [Float] { Array(UnsafeBufferPointer(start: g, count: count)) }
    public var tensor: Tensor { Tensor(shape: shape, storage: value) }

    func set(_ values: [Float]) { values.withUnsafeBufferPointer { p.update(from: $0.baseAddress!, count: count) } }
    func zeroGrad() { g.update(repeating: 0, count: count) }
}
