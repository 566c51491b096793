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
/// Eight units at a time with the SIMD exp/sigmoid/tanh of `FastMath` (scalar libm calls
/// were the largest cost of a training step after the products).
enum LSTMKernel {
    typealias V = SIMD8<Float>

    /// Loads 8 floats, or fewer at the tail (the rest zero).
    @inline(__always)
    static func load(_ p: UnsafePointer<Float>, _ n: Int) -> V {
        if n >= 8 { return UnsafeRawPointer(p).loadUnaligned(as: V.self) }
        // H = 100 leaves a tail of 4: one half-width load instead of four lane inserts.
        if n == 4 { return V(lowHalf: UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Float>.self), highHalf: .zero) }
        var v = V()
        for k in 0..<n { v[k] = p[k] }
        return v
    }

    @inline(__always)
    static func store(_ v: V, _ p: UnsafeMutablePointer<Float>, _ n: Int) {
        if n >= 8 { UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self); return }
        if n == 4 { UnsafeMutableRawPointer(p).storeBytes(of: v.lowHalf, as: SIMD4<Float>.self); return }
        for k in 0..<n { p[k] = v[k] }
    }

    /// gates [B×4H] (pre-activations, overwritten by activations i, f, g, o), c [B×H] out,
    /// h [B×H] out, tanhC [B×H] out (tanh c, kept so that backward need not recompute it; nil
    /// for a forward-only pass); `mask` (optional, per row) keeps the state of rows past their length.
    static func forward(gates: UnsafeMutablePointer<Float>, cPrev: UnsafePointer<Float>, hPrev: UnsafePointer<Float>,
                        c: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>, tanhC: UnsafeMutablePointer<Float>?,
                        rows: Int, hidden H: Int, mask: UnsafePointer<Bool>?) {
        for r in 0..<rows {
            let g = gates + r * 4 * H, cp = cPrev + r * H, co = c + r * H, ho = h + r * H, tco = tanhC.map { $0 + r * H }
            if let mask, !mask[r] {
                co.update(from: cp, count: H)
                ho.update(from: hPrev + r * H, count: H)
                continue
            }
            var j = 0
            while j < H {
                let n = min(8, H - j)
                let i = FastMath.sigmoid(load(g + j, n)), f = FastMath.sigmoid(load(g + H + j, n))
                let gg = FastMath.tanh(load(g + 2 * H + j, n)), o = FastMath.sigmoid(load(g + 3 * H + j, n))
                store(i, g + j, n); store(f, g + H + j, n); store(gg, g + 2 * H + j, n); store(o, g + 3 * H + j, n)
                let cn = f * load(cp + j, n) + i * gg
                store(cn, co + j, n)
                let tc = FastMath.tanh(cn)
                if let tco { store(tc, tco + j, n) }
                store(o * tc, ho + j, n)
                j += 8
            }
        }
    }

    /// Given dh, dc (into the step's outputs), the activations and states, writes the gate
    /// pre-activation gradients into `dGates` and the carried cell gradient into dcPrev,
    /// passing dh and dc straight through for masked rows (dhPass gets dh for them).
    static func backward(acts: UnsafePointer<Float>, cPrev: UnsafePointer<Float>, tanhC: UnsafePointer<Float>,
                         dh: UnsafePointer<Float>, dc: UnsafePointer<Float>, dGates: UnsafeMutablePointer<Float>,
                         dcPrev: UnsafeMutablePointer<Float>, dhPass: UnsafeMutablePointer<Float>,
                         rows: Int, hidden H: Int, mask: UnsafePointer<Bool>?) {
        for r in 0..<rows {
            let a = acts + r * 4 * H, d = dGates + r * 4 * H
            let cp = cPrev + r * H, tcr = tanhC + r * H, dhr = dh + r * H, dcr = dc + r * H
            if let mask, !mask[r] {
                d.update(repeating: 0, count: 4 * H)
                (dcPrev + r * H).update(from: dcr, count: H)
                (dhPass + r * H).update(from: dhr, count: H)
                continue
            }
            (dhPass + r * H).update(repeating: 0, count: H)
            var j = 0
            while j < H {
                let n = min(8, H - j)
                let i = load(a + j, n), f = load(a + H + j, n), gg = load(a + 2 * H + j, n), o = load(a + 3 * H + j, n)
                let tc = load(tcr + j, n)
                let dhv = load(dhr + j, n)
                let dcv = load(dcr + j, n) + dhv * o * (1 - tc * tc)
                store(dcv * gg * i * (1 - i), d + j, n)
                store(dcv * load(cp + j, n) * f * (1 - f), d + H + j, n)
                store(dcv * i * (1 - gg * gg), d + 2 * H + j, n)
                store(dhv * tc * o * (1 - o), d + 3 * H + j, n)
                store(dcv * f, dcPrev + r * H + j, n)
                j += 8
            }
        }
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
