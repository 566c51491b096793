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
        let sr = buffer.sampleRate
        let dw = Self.depth(cents: wowCents, rate: wowRate, sampleRate: sr)
        let df = Self.depth(cents: flutterCents, rate: flutterRate, sampleRate: sr)
        guard dw + df > 0 else { return }
        var rng = SplitMix64(seed: seed)
        let phaseW = rng.unit() * 2 * Double.pi, phaseF = rng.unit() * 2 * Double.pi
        let base = dw + df + 2  // keeps the delay positive
        let n = buffer.frames
        let (wowRate, flutterRate) = (self.wowRate, self.flutterRate)
        buffer.forEachChannel { _, y in
            // A ring buffer a little longer than the largest delay holds the recent input,
            // so the channel is rewritten in place without a copy of the song.
            let size = 1 << Int(log2(Double(2 * Int(base) + 8)).rounded(.up))
            let mask = size - 1
            var ring = [Float](repeating: 0, count: size)
            // Phasors advanced by rotation: exact sines without a sin() call per sample.
            var (cw, sw) = (cos(phaseW), sin(phaseW)), (cf, sf) = (cos(phaseF), sin(phaseF))
            let (rw, iw) = (cos(2 * Double.pi * wowRate / sr), sin(2 * Double.pi * wowRate / sr))
            let (rf, iff) = (cos(2 * Double.pi * flutterRate / sr), sin(2 * Double.pi * flutterRate / sr))
            ring.withUnsafeMutableBufferPointer { r in
                for i in 0..<n {
                    r[i & mask] = y[i]
                    let delay = base + dw * sw + df * sf
                    let pos = Double(i) - delay
                    var out: Float = 0
                    if pos >= 0 {
                        let k = Int(pos)
                        let frac = Float(pos - Double(k))
                        // k + 1 ≤ i always (delay > 1), so both taps are already in the ring.
                        let a = r[k & mask], b = r[(k + 1) & mask]
                        out = a + (b - a) * frac
                    }
                    y[i] = out
                    (cw, sw) = (cw * rw - sw * iw, sw * rw + cw * iw)
                    (cf, sf) = (cf * rf - sf * iff, sf * rf + cf * iff)
                    if i & 4095 == 0 {
                        // Renormalise the phasors against rounding drift.
                        let mw = 1 / (cw * cw + sw * sw).squareRoot(), mf = 1 / (cf * cf + sf * sf).squareRoot()
                        cw *= mw; sw *= mw; cf *= mf; sf *= mf
                    }
                }
            }
        }
    }
}
