import CLofiMath
import COpenBLAS
import Foundation

/// Row-major GEMM on raw buffers: C[m×n] = α·op(A)·op(B) + β·C.
@inline(__always)
func gemm(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
          _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ beta: Float, _ c: UnsafeMutablePointer<Float>) {
    guard m > 0, n > 0, k > 0 else {
        if beta == 0 && m > 0 && n > 0 { c.update(repeating: 0, count: m * n) }
        return
    }
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha, a, Int32(transA ? m : k), b, Int32(transB ? k : n), beta, c, Int32(n))
}

/// A growable scratch buffer of floats with stable storage while in use.
final class Buffer: @unchecked Sendable {
    private(set) var pointer: UnsafeMutablePointer<Float>
    private(set) var capacity: Int

    init(_ count: Int = 0) {
        capacity = max(count, 1)
        pointer = .allocate(capacity: capacity)
        pointer.initialize(repeating: 0, count: capacity)
    }

    deinit { pointer.deallocate() }

    /// At least `count` floats, zeroed when `zero`.
    @discardableResult
    func reserve(_ count: Int, zero: Bool = true) -> UnsafeMutablePointer<Float> {
        if count > capacity {
            pointer.deallocate()
            capacity = count
            pointer = .allocate(capacity: count)
            pointer.initialize(repeating: 0, count: count)
        } else if zero {
            pointer.update(repeating: 0, count: count)
        }
        return pointer
    }
}

/// LSTM cell pointwise parts for training: forward storing the activations, backward.
/// The C kernels of CLofiMath at the CPU's vector width (`VectorLevel`).
enum LSTMKernel {
    /// gates [B×4H] (pre-activations, overwritten by activations i, f, g, o), c [B×H] out,
    /// h [B×H] out, tanhC [B×H] out (tanh c, kept so that backward need not recompute it; nil
    /// for a forward-only pass); `mask` (optional, per row) keeps the state of rows past their length.
    @inline(__always)
    static func forward(gates: UnsafeMutablePointer<Float>, cPrev: UnsafePointer<Float>, hPrev: UnsafePointer<Float>,
                        c: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>, tanhC: UnsafeMutablePointer<Float>?,
                        rows: Int, hidden H: Int, mask: UnsafePointer<Bool>?) {
        lofi_lstm_forward(VectorLevel.current, gates, cPrev, hPrev, c, h, tanhC, rows, H, mask)
    }

    /// Given dh, dc (into the step's outputs), the activations and states, writes the gate
    /// pre-activation gradients into `dGates` and the carried cell gradient into dcPrev,
    /// passing dh and dc straight through for masked rows (dhPass gets dh for them).
    @inline(__always)
    static func backward(acts: UnsafePointer<Float>, cPrev: UnsafePointer<Float>, tanhC: UnsafePointer<Float>,
                         dh: UnsafePointer<Float>, dc: UnsafePointer<Float>, dGates: UnsafeMutablePointer<Float>,
                         dcPrev: UnsafeMutablePointer<Float>, dhPass: UnsafeMutablePointer<Float>,
                         rows: Int, hidden H: Int, mask: UnsafePointer<Bool>?) {
        lofi_lstm_backward(VectorLevel.current, acts, cPrev, tanhC, dh, dc, dGates, dcPrev, dhPass, rows, H, mask)
    }
}

/// GEMM with explicit row strides, for column blocks of a wider weight matrix.
@inline(__always)
func gemm(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
          _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int, _ beta: Float,
          _ c: UnsafeMutablePointer<Float>, ldc: Int) {
    guard m > 0, n > 0, k > 0 else { return }
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// y[rows×n] (+)= x·Wᵀ + bias for a Linear whose weight is [n × k].
@inline(__always)
func linearForward(_ x: UnsafePointer<Float>, rows: Int, _ w: Parameter, _ b: Parameter?, into y: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
    let n = w.shape[0], k = w.shape[1]
    if let b, !accumulate {
        for r in 0..<rows { (y + r * n).update(from: b.p, count: n) }
        gemm(false, true, rows, n, k, 1, x, UnsafePointer(w.p), 1, y)
    } else {
        if let b { for r in 0..<rows { for j in 0..<n { y[r * n + j] += b.p[j] } } }
        gemm(false, true, rows, n, k, 1, x, UnsafePointer(w.p), accumulate || b != nil ? 1 : 0, y)
    }
}

/// Linear backward: dW += dyᵀ·x, db += Σ dy, and dx (=, or += when `accumulate`) dy·W.
@inline(__always)
func linearBackward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, rows: Int, _ w: Parameter, _ b: Parameter?,
                    dx: UnsafeMutablePointer<Float>?, accumulate: Bool = false) {
    let n = w.shape[0], k = w.shape[1]
    gemm(true, false, n, k, rows, 1, dy, x, 1, w.g)
    if let b { for r in 0..<rows { for j in 0..<n { b.g[j] += dy[r * n + j] } } }
    if let dx { gemm(false, false, rows, k, n, 1, dy, UnsafePointer(w.p), accumulate ? 1 : 0, dx) }
}
