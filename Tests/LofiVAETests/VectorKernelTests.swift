import CLofiMath
import Foundation
import Testing
@testable import LofiVAE

/// The LSTM kernels of CLofiMath at every level this CPU runs, against the Swift SIMD code
/// they replaced (kept below as the reference, operation for operation as it shipped) bit
/// for bit, and against libm in double precision within the design's error bound.
@Suite struct VectorKernelTests {
    static let levels: [Int32] = (0...lofi_math_best_level()).map { $0 }

    /// Values that reach every branch: both exp clamps (|2x| past 87), signs, signed zeros,
    /// tiny and ordinary magnitudes.
    static func inputs(_ count: Int, seed: UInt64) -> [Float] {
        var state = seed
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        return (0..<count).map { k in
            switch k % 10 {
            case 0: return Float(next() * 240 - 120)
            case 1: return k % 20 == 1 ? 0 : -0.0
            case 2: return Float((next() - 0.5) * 1e-3)
            default: return Float((next() - 0.5) * 16)
            }
        }
    }

    static func bits(_ a: [Float]) -> [UInt32] { a.map(\.bitPattern) }

    @Test func theCPUsWidestLevelIsTheOneInUse() throws {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let flags = Set(cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") }?.split(separator: " ").map(String.init) ?? [])
        let expected: Int32 = flags.contains("avx512f") ? 2 : flags.contains("avx2") ? 1 : 0
        print("LSTM kernels: best \(VectorLevel.name(VectorLevel.best)), in use \(VectorLevel.name(VectorLevel.current))")
        #expect(VectorLevel.best == expected, "/proc/cpuinfo says level \(expected)")
        if ProcessInfo.processInfo.environment["LOFI_VECTOR"] == nil { #expect(VectorLevel.current == expected) }
    }

    @Test(arguments: [100, 13, 8, 3])
    func forwardIsTheSwiftKernelBitForBit(hidden H: Int) {
        let rows = 5
        let gates = Self.inputs(rows * 4 * H, seed: UInt64(H)), cPrev = Self.inputs(rows * H, seed: 99)
        let hPrev = Self.inputs(rows * H, seed: 7)
        let mask = [true, false, true, true, false]
        // The reference: the shipped Swift forward.
        var rg = gates, rc = [Float](repeating: 0, count: rows * H), rh = rc, rt = rc
        ReferenceKernel.forward(gates: &rg, cPrev: cPrev, hPrev: hPrev, c: &rc, h: &rh, tanhC: &rt, rows: rows, hidden: H, mask: mask)
        for level in Self.levels {
            var g = gates, c = [Float](repeating: 1, count: rows * H), h = c, t = [Float](repeating: 0, count: rows * H)
            lofi_lstm_forward(level, &g, cPrev, hPrev, &c, &h, &t, rows, H, mask)
            let name = VectorLevel.name(level)
            #expect(Self.bits(g) == Self.bits(rg), "activations at \(name), H = \(H)")
            #expect(Self.bits(c) == Self.bits(rc), "c at \(name), H = \(H)")
            #expect(Self.bits(h) == Self.bits(rh), "h at \(name), H = \(H)")
            for r in 0..<rows where mask[r] {
                #expect(Self.bits(Array(t[(r * H)..<((r + 1) * H)])) == Self.bits(Array(rt[(r * H)..<((r + 1) * H)])), "tanh c at \(name)")
            }
            // In place, as the decoder calls it (no mask, no tanh c kept).
            var g2 = gates, c2 = cPrev, h2 = hPrev
            var rg2 = gates, rc2 = cPrev, rh2 = hPrev, unused = [Float](repeating: 0, count: rows * H)
            ReferenceKernel.forward(gates: &rg2, cPrev: cPrev, hPrev: hPrev, c: &rc2, h: &rh2, tanhC: &unused, rows: rows, hidden: H, mask: nil)
            c2.withUnsafeMutableBufferPointer { cp in
                h2.withUnsafeMutableBufferPointer { hp in
                    lofi_lstm_forward(level, &g2, cp.baseAddress!, hp.baseAddress!, cp.baseAddress!, hp.baseAddress!, nil, rows, H, nil)
                }
            }
            #expect(Self.bits(c2) == Self.bits(rc2) && Self.bits(h2) == Self.bits(rh2), "in place at \(name), H = \(H)")
        }
    }

    @Test(arguments: [100, 13])
    func backwardIsTheSwiftKernelBitForBit(hidden H: Int) {
        let rows = 4
        // Activations as forward leaves them: gates in (0, 1) and (−1, 1).
        let acts = Self.inputs(rows * 4 * H, seed: 3).map { tanhf($0) }
        let cPrev = Self.inputs(rows * H, seed: 4), tanhC = Self.inputs(rows * H, seed: 5).map { tanhf($0) }
        let dh = Self.inputs(rows * H, seed: 6), dc = Self.inputs(rows * H, seed: 8)
        let mask = [true, true, false, true]
        var rd = [Float](repeating: 0, count: rows * 4 * H), rdc = [Float](repeating: 0, count: rows * H), rp = rdc
        ReferenceKernel.backward(acts: acts, cPrev: cPrev, tanhC: tanhC, dh: dh, dc: dc, dGates: &rd, dcPrev: &rdc, dhPass: &rp,
                                 rows: rows, hidden: H, mask: mask)
        for level in Self.levels {
            var d = [Float](repeating: 9, count: rows * 4 * H), dcp = [Float](repeating: 9, count: rows * H), pass = dcp
            lofi_lstm_backward(level, acts, cPrev, tanhC, dh, dc, &d, &dcp, &pass, rows, H, mask)
            let name = VectorLevel.name(level)
            #expect(Self.bits(d) == Self.bits(rd), "gate gradients at \(name), H = \(H)")
            #expect(Self.bits(dcp) == Self.bits(rdc), "carried dc at \(name), H = \(H)")
            #expect(Self.bits(pass) == Self.bits(rp), "passed dh at \(name), H = \(H)")
        }
    }

    /// Independent truth: sigmoid and tanh in double precision. The exp polynomial's relative
    /// error is below 2·10⁻⁷ and the divisions and 1 ± e round once each, so four float ulps
    /// of the outputs' largest magnitude (ulp just below 1 is 6·10⁻⁸) bound the error absolutely
    /// (tanh's cancellation near 0 is absolute-bounded too).
    @Test func gatesAreSigmoidAndTanhWithinTheDesignBound() {
        let H = 100, n = 4000
        let x = (0..<n).map { Float(-30 + 60 * Double($0) / Double(n - 1)) }
        for level in Self.levels {
            var worstSigmoid = 0.0, worstTanh = 0.0
            for start in stride(from: 0, to: n, by: H) {
                // Gate pre-activations i = f = o = x, g = x; cPrev 0, so c = σ(x)·tanh(x).
                var g = [Float](repeating: 0, count: 4 * H), c = [Float](repeating: 0, count: H), h = c, t = c
                for j in 0..<H { for k in 0..<4 { g[k * H + j] = x[start + j] } }
                lofi_lstm_forward(level, &g, [Float](repeating: 0, count: H), [Float](repeating: 0, count: H), &c, &h, &t, 1, H, nil)
                for j in 0..<H {
                    let v = Double(x[start + j])
                    worstSigmoid = max(worstSigmoid, abs(Double(g[j]) - 1 / (1 + Foundation.exp(-v))))
                    worstTanh = max(worstTanh, abs(Double(g[2 * H + j]) - Foundation.tanh(v)))
                }
            }
            print("\(VectorLevel.name(level)): worst sigmoid error \(worstSigmoid), tanh \(worstTanh)")
            #expect(worstSigmoid < 2.4e-7 && worstTanh < 2.4e-7, "\(VectorLevel.name(level))")
            #expect(worstSigmoid > 0 || worstTanh > 0, "a float kernel cannot be exact over 4,000 points")
        }
    }
}

/// The Swift SIMD kernels as they shipped before CLofiMath (FastMath and LSTMKernel), kept
/// here as the reference the C levels must reproduce.
enum ReferenceKernel {
    typealias V = SIMD8<Float>

    static func exp(_ x: V) -> V {
        var x = x.replacing(with: -87.0, where: x .< -87.0)
        x.replace(with: 88.0, where: x .> 88.0)
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
        let bits = (unsafeBitCast(shifted, to: SIMD8<UInt32>.self) &- 0x4B40_0000 &+ 127) &<< 23
        return p * unsafeBitCast(bits, to: V.self)
    }

    static func sigmoid(_ x: V) -> V { 1 / (1 + exp(-x)) }

    static func tanh(_ x: V) -> V {
        let a = x.replacing(with: -x, where: x .< 0)
        let e = exp(-2 * a)
        let t = (1 - e) / (1 + e)
        return t.replacing(with: -t, where: x .< 0)
    }

    static func load(_ a: [Float], _ at: Int, _ n: Int) -> V {
        var v = V()
        for k in 0..<min(n, 8) { v[k] = a[at + k] }
        return v
    }

    static func store(_ v: V, _ a: inout [Float], _ at: Int, _ n: Int) {
        for k in 0..<min(n, 8) { a[at + k] = v[k] }
    }

    static func forward(gates g: inout [Float], cPrev: [Float], hPrev: [Float], c: inout [Float], h: inout [Float],
                        tanhC: inout [Float], rows: Int, hidden H: Int, mask: [Bool]?) {
        for r in 0..<rows {
            let gb = r * 4 * H, b = r * H
            if let mask, !mask[r] {
                for j in 0..<H { c[b + j] = cPrev[b + j]; h[b + j] = hPrev[b + j] }
                continue
            }
            var j = 0
            while j < H {
                let n = min(8, H - j)
                let i = sigmoid(load(g, gb + j, n)), f = sigmoid(load(g, gb + H + j, n))
                let gg = tanh(load(g, gb + 2 * H + j, n)), o = sigmoid(load(g, gb + 3 * H + j, n))
                store(i, &g, gb + j, n); store(f, &g, gb + H + j, n); store(gg, &g, gb + 2 * H + j, n); store(o, &g, gb + 3 * H + j, n)
                let cn = f * load(cPrev, b + j, n) + i * gg
                store(cn, &c, b + j, n)
                let tc = tanh(cn)
                store(tc, &tanhC, b + j, n)
                store(o * tc, &h, b + j, n)
                j += 8
            }
        }
    }

    static func backward(acts a: [Float], cPrev: [Float], tanhC: [Float], dh: [Float], dc: [Float], dGates d: inout [Float],
                         dcPrev: inout [Float], dhPass: inout [Float], rows: Int, hidden H: Int, mask: [Bool]?) {
        for r in 0..<rows {
            let ab = r * 4 * H, b = r * H
            if let mask, !mask[r] {
                for j in 0..<(4 * H) { d[ab + j] = 0 }
                for j in 0..<H { dcPrev[b + j] = dc[b + j]; dhPass[b + j] = dh[b + j] }
                continue
            }
            for j in 0..<H { dhPass[b + j] = 0 }
            var j = 0
            while j < H {
                let n = min(8, H - j)
                let i = load(a, ab + j, n), f = load(a, ab + H + j, n), gg = load(a, ab + 2 * H + j, n), o = load(a, ab + 3 * H + j, n)
                let tc = load(tanhC, b + j, n), dhv = load(dh, b + j, n)
                let dcv = load(dc, b + j, n) + dhv * o * (1 - tc * tc)
                store(dcv * gg * i * (1 - i), &d, ab + j, n)
                store(dcv * load(cPrev, b + j, n) * f * (1 - f), &d, ab + H + j, n)
                store(dcv * i * (1 - gg * gg), &d, ab + 2 * H + j, n)
                store(dhv * tc * o * (1 - o), &d, ab + 3 * H + j, n)
                store(dcv * f, &dcPrev, b + j, n)
                j += 8
            }
        }
    }
}
