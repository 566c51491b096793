/// A dense float32 tensor in row-major order. Rows of a 2-D tensor are songs in a batch.
public struct Tensor: Hashable, Sendable {
    public var shape: [Int]
    public var storage: [Float]

    public init(shape: [Int], storage: [Float]) {
        precondition(shape.reduce(1, *) == storage.count, "shape \(shape) does not hold \(storage.count) values")
        self.shape = shape
        self.storage = storage
    }

    public init(zeros shape: [Int]) {
        self.init(shape: shape, storage: [Float](repeating: 0, count: shape.reduce(1, *)))
    }

    public var count: Int { storage.count }
    public var rows: Int { shape.first ?? 1 }
    /// Elements per row (product of all but the first dimension).
    public var columns: Int { shape.count <= 1 ? (shape.first ?? 1) : shape.dropFirst().reduce(1, *) }

    /// One row of a 2-D tensor.
    public func row(_ i: Int) -> ArraySlice<Float> { storage[(i * columns)..<((i + 1) * columns)] }

    /// Rows side by side: [B, a] ++ [B, b] → [B, a + b].
    public static func concatColumns(_ parts: [Tensor]) -> Tensor {
        let b = parts[0].rows
        let width = parts.reduce(0) { $0 + $1.columns }
        var out = [Float](repeating: 0, count: b * width)
        var offset = 0
        for p in parts {
            precondition(p.rows == b, "concatenating \(p.rows) rows with \(b)")
            let w = p.columns
            for r in 0..<b { for c in 0..<w { out[r * width + offset + c] = p.storage[r * w + c] } }
            offset += w
        }
        return Tensor(shape: [b, width], storage: out)
    }

    /// Index of the first maximum of each row, as PyTorch's argmax picks it.
    public func argmaxRows() -> [Int] {
        (0..<rows).map { r in argmaxFirst(storage[(r * columns)..<((r + 1) * columns)]) }
    }

    public func relu() -> Tensor { Tensor(shape: shape, storage: storage.map { max($0, 0) }) }
}

/// First index of the maximum; NaN never wins.
@inlinable
func argmaxFirst<C: Collection>(_ values: C) -> Int where C.Element == Float, C.Index == Int {
    var best = values.startIndex
    var bestValue = -Float.infinity
    for i in values.indices where values[i] > bestValue {
        bestValue = values[i]
        best = i
    }
    return best - values.startIndex
}
