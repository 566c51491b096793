/// A small dense Double matrix, row-major: for work done once per model (fitting and folding
/// the latent whitening), where float32 rounding would show and speed does not matter.
public struct Matrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    public var values: [Double]

    public init(rows: Int, columns: Int, values: [Double]? = nil) {
        precondition(values == nil || values!.count == rows * columns, "\(rows)×\(columns) needs \(rows * columns) values")
        self.rows = rows
        self.columns = columns
        self.values = values ?? [Double](repeating: 0, count: rows * columns)
    }

    /// A 2-D tensor [rows, columns] (a Linear weight: [outputs, inputs]).
    public init(_ t: Tensor) {
        precondition(t.shape.count == 2, "a matrix needs a 2-D tensor, not \(t.shape)")
        self.init(rows: t.shape[0], columns: t.shape[1], values: t.storage.map(Double.init))
    }

    /// Blocks of equal row count, left to right.
    public init(sideBySide blocks: [Matrix]) {
        let r = blocks[0].rows, width = blocks.reduce(0) { $0 + $1.columns }
        var m = Matrix(rows: r, columns: width)
        var offset = 0
        for b in blocks {
            precondition(b.rows == r, "blocks side by side need equal rows")
            for i in 0..<r { for j in 0..<b.columns { m[i, offset + j] = b[i, j] } }
            offset += b.columns
        }
        self = m
    }

    public subscript(i: Int, j: Int) -> Double {
        get { values[i * columns + j] }
        set { values[i * columns + j] = newValue }
    }

    /// The columns in `range` as a matrix of their own.
    public func columns(_ range: Range<Int>) -> Matrix {
        var m = Matrix(rows: rows, columns: range.count)
        for i in 0..<rows { for (k, j) in range.enumerated() { m[i, k] = self[i, j] } }
        return m
    }

    public func tensor(shape: [Int]) -> Tensor {
        Tensor(shape: shape, storage: values.map(Float.init))
    }

    public static func * (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.columns == b.rows, "\(a.rows)×\(a.columns) times \(b.rows)×\(b.columns)")
        var m = Matrix(rows: a.rows, columns: b.columns)
        for i in 0..<a.rows {
            for k in 0..<a.columns {
                let x = a[i, k]
                if x == 0 { continue }
                for j in 0..<b.columns { m.values[i * b.columns + j] += x * b.values[k * b.columns + j] }
            }
        }
        return m
    }

    public static func * (a: Matrix, v: [Double]) -> [Double] {
        precondition(a.columns == v.count, "\(a.rows)×\(a.columns) times a vector of \(v.count)")
        return (0..<a.rows).map { i in (0..<a.columns).reduce(0) { $0 + a[i, $1] * v[$1] } }
    }

    /// L with L·Lᵀ = self, L lower-triangular (self symmetric positive definite).
    public func cholesky() -> Matrix {
        precondition(rows == columns, "Cholesky needs a square matrix")
        var l = Matrix(rows: rows, columns: rows)
        for j in 0..<rows {
            var d = self[j, j]
            for k in 0..<j { d -= l[j, k] * l[j, k] }
            precondition(d > 0, "Cholesky: the matrix is not positive definite (pivot \(j) is \(d))")
            l[j, j] = d.squareRoot()
            for i in (j + 1)..<rows {
                var s = self[i, j]
                for k in 0..<j { s -= l[i, k] * l[j, k] }
                l[i, j] = s / l[j, j]
            }
        }
        return l
    }

    /// The inverse of a lower-triangular matrix (itself lower-triangular), by forward substitution.
    public func lowerTriangularInverse() -> Matrix {
        precondition(rows == columns, "needs a square matrix")
        var inv = Matrix(rows: rows, columns: rows)
        for c in 0..<rows {
            inv[c, c] = 1 / self[c, c]
            for i in (c + 1)..<rows {
                var s = 0.0
                for k in c..<i { s -= self[i, k] * inv[k, c] }
                inv[i, c] = s / self[i, i]
            }
        }
        return inv
    }
}
