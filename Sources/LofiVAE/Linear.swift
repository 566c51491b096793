/// `y = W x + b` with `W` stored [out, in] as in PyTorch. Parameters `<name>.weight`, `<name>.bias`.
public struct Linear: Sendable {
    public var weight: Tensor
    public var bias: Tensor

    public var inputs: Int { weight.shape[1] }
    public var outputs: Int { weight.shape[0] }

    public init(weight: Tensor, bias: Tensor) {
        precondition(weight.shape.count == 2 && bias.shape == [weight.shape[0]])
        self.weight = weight
        self.bias = bias
    }

    public init(_ params: StateDict, _ name: String, inputs: Int, outputs: Int) throws(CheckpointError) {
        self.init(weight: try params.tensor("\(name).weight", shape: [outputs, inputs]),
                  bias: try params.tensor("\(name).bias", shape: [outputs]))
    }

    /// [B, in] → [B, out].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.columns == inputs, "Linear expects \(inputs) inputs, got \(x.columns)")
        var out = [Float](repeating: 0, count: x.rows * outputs)
        for r in 0..<x.rows { for o in 0..<outputs { out[r * outputs + o] = bias.storage[o] } }
        x.storage.withUnsafeBufferPointer { xp in
            weight.storage.withUnsafeBufferPointer { wp in
                out.withUnsafeMutableBufferPointer { op in
                    BLAS.linear(xp.baseAddress!, rows: x.rows, inputs: inputs, weight: wp.baseAddress!, outputs: outputs,
                                into: op.baseAddress!, accumulate: true)
                }
            }
        }
        return Tensor(shape: [x.rows, outputs], storage: out)
    }
}

/// Row lookup in an [n, d] table. Parameter `<name>.weight`.
public struct Embedding: Sendable {
    public var weight: Tensor

    public init(weight: Tensor) { self.weight = weight }

    public init(_ params: StateDict, _ name: String, count: Int, dimension: Int) throws(CheckpointError) {
        self.init(weight: try params.tensor("\(name).weight", shape: [count, dimension]))
    }

    public var dimension: Int { weight.shape[1] }

    public func callAsFunction(_ indices: [Int]) -> Tensor {
        let d = dimension
        var out = [Float](repeating: 0, count: indices.count * d)
        for (r, i) in indices.enumerated() { for c in 0..<d { out[r * d + c] = weight.storage[i * d + c] } }
        return Tensor(shape: [indices.count, d], storage: out)
    }
}

/// Linear → ReLU → Linear, stored as `<name>.0.*` and `<name>.2.*` (PyTorch Sequential).
public struct Head: Sendable {
    public var first: Linear
    public var second: Linear

    public init(_ params: StateDict, _ name: String, hidden: Int, outputs: Int, inputs: Int = 100) throws(CheckpointError) {
        first = try Linear(params, "\(name).0", inputs: inputs, outputs: hidden)
        second = try Linear(params, "\(name).2", inputs: hidden, outputs: outputs)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { second(first(x).relu()) }
}
