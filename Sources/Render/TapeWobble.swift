import Foundation
import Theory

/// Tape wow and flutter: the signal read through a delay line whose length is modulated by
/// a slow (wow) and a fast (flutter) sine. A delay changing at rate d′ shifts pitch by the
/// factor 1 − d′, so a sine of depth D samples at f Hz peaks at 2πfD/sr; depths are set from
/// the wanted peak deviation in cents.
public struct TapeWobble: Sendable {
    public var wowCents: Double
    public var wowRate: Double
    public var flutterCents: Double
    public var flutterRate: Double
    public var seed: UInt64

    public init(wowCents: Double = 8, wowRate: Double = 0.55, flutterCents: Double = 2, flutterRate: Double = 6.5, seed: UInt64 = 0) {
        self.wowCents = wowCents
        self.wowRate = wowRate
        self.flutterCents = flutterCents
        self.flutterRate = flutterRate
        self.seed = seed
    }

    /// Delay depth (samples) of a sine at `rate` Hz that deviates pitch by at most `cents`.
    static func depth(cents: Double, rate: Double, sampleRate: Double) -> Double {
        guard rate > 0 else { return 0 }
        return (1 - pow(2, -cents / 1200)) * sampleRate / (2 * Double.pi * rate)
    }

    public func process(_ buffer: inout StereoBuffer) {
        guard let left = kernel(sampleRate: buffer.sampleRate) else { return }
        let right = left.copy()
        defer { left.free(); right.free() }
        nonisolated(unsafe) let kernels = [left, right]
        buffer.forEachChannel { ch, y in
            var k = kernels[ch]
            for i in y.indices { y[i] = k.next(y[i]) }
        }
    }

    /// The running delay line of one channel (both channels' start alike); nil: no wobble.
    /// Each channel must get its own ring: `free()` it after.
    func kernel(sampleRate sr: Double) -> Kernel? {
        let dw = Self.depth(cents: wowCents, rate: wowRate, sampleRate: sr)
        let df = Self.depth(cents: flutterCents, rate: flutterRate, sampleRate: sr)
        guard dw + df > 0 else { return nil }
        var rng = SplitMix64(seed: seed)
        let phaseW = rng.unit() * 2 * Double.pi, phaseF = rng.unit() * 2 * Double.pi
        return Kernel(dw: dw, df: df, phaseW: phaseW, phaseF: phaseF,
                      wowStep: 2 * Double.pi * wowRate / sr, flutterStep: 2 * Double.pi * flutterRate / sr)
    }

    struct Kernel {
        let dw: Double, df: Double
        /// Keeps the delay positive.
        let base: Double
        /// A ring a little longer than the largest delay holds the recent input, so the
        /// channel is rewritten in place without a copy of the song.
        var ring: UnsafeMutableBufferPointer<Float>
        let mask: Int
        // Phasors advanced by rotation: exact sines without a sin() call per sample.
        var cw: Double, sw: Double, cf: Double, sf: Double
        let rw: Double, iw: Double, rf: Double, iff: Double
        var i = 0

        init(dw: Double, df: Double, phaseW: Double, phaseF: Double, wowStep: Double, flutterStep: Double) {
            self.dw = dw
            self.df = df
            base = dw + df + 2
            let size = 1 << Int(log2(Double(2 * Int(base) + 8)).rounded(.up))
            mask = size - 1
            ring = .allocate(capacity: size)
            ring.initialize(repeating: 0)
            (cw, sw, cf, sf) = (cos(phaseW), sin(phaseW), cos(phaseF), sin(phaseF))
            (rw, iw, rf, iff) = (cos(wowStep), sin(wowStep), cos(flutterStep), sin(flutterStep))
        }

        /// A copy with a ring of its own (for the other channel).
        func copy() -> Kernel {
            var k = self
            k.ring = .allocate(capacity: ring.count)
            _ = k.ring.initialize(from: ring)
            return k
        }

        func free() { ring.deallocate() }

        @inline(__always)
        mutating func next(_ x: Float) -> Float {
            ring[i & mask] = x
            let delay = base + dw * sw + df * sf
            let pos = Double(i) - delay
            var out: Float = 0
            if pos >= 0 {
                let k = Int(pos)
                let frac = Float(pos - Double(k))
                // k + 1 ≤ i always (delay > 1), so both taps are already in the ring.
                let a = ring[k & mask], b = ring[(k + 1) & mask]
                out = a + (b - a) * frac
            }
            (cw, sw) = (cw * rw - sw * iw, sw * rw + cw * iw)
            (cf, sf) = (cf * rf - sf * iff, sf * rf + cf * iff)
            if i & 4095 == 0 {
                // Renormalise the phasors against rounding drift.
                let mw = 1 / (cw * cw + sw * sw).squareRoot(), mf = 1 / (cf * cf + sf * sf).squareRoot()
                cw *= mw; sw *= mw; cf *= mf; sf *= mf
            }
            i += 1
            return out
        }
    }
}
