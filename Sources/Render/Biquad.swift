import Foundation

/// A second-order IIR section (transposed direct form II) with coefficients from the
/// bilinear transform of the analog prototypes (R. Bristow-Johnson's cookbook forms).
public struct Biquad: Sendable {
    var b0: Double, b1: Double, b2: Double, a1: Double, a2: Double
    var z1: Double = 0, z2: Double = 0

    /// Low-pass at `cutoff` Hz with quality `q` (0.7071 = Butterworth).
    public static func lowPass(cutoff: Double, q: Double = 0.5.squareRoot(), sampleRate: Double) -> Biquad {
        let w = 2 * Double.pi * cutoff / sampleRate, alpha = sin(w) / (2 * q), c = cos(w)
        let a0 = 1 + alpha
        return Biquad(b0: (1 - c) / 2 / a0, b1: (1 - c) / a0, b2: (1 - c) / 2 / a0, a1: -2 * c / a0, a2: (1 - alpha) / a0)
    }

    /// High-pass at `cutoff` Hz.
    public static func highPass(cutoff: Double, q: Double = 0.5.squareRoot(), sampleRate: Double) -> Biquad {
        let w = 2 * Double.pi * cutoff / sampleRate, alpha = sin(w) / (2 * q), c = cos(w)
        let a0 = 1 + alpha
        return Biquad(b0: (1 + c) / 2 / a0, b1: -(1 + c) / a0, b2: (1 + c) / 2 / a0, a1: -2 * c / a0, a2: (1 - alpha) / a0)
    }

    /// Band-pass (constant 0 dB peak gain) around `centre` Hz.
    public static func bandPass(centre: Double, q: Double, sampleRate: Double) -> Biquad {
        let w = 2 * Double.pi * centre / sampleRate, alpha = sin(w) / (2 * q), c = cos(w)
        let a0 = 1 + alpha
        return Biquad(b0: alpha / a0, b1: 0, b2: -alpha / a0, a1: -2 * c / a0, a2: (1 - alpha) / a0)
    }

    /// State below this is flushed to zero. A silent input lets the state decay into
    /// subnormal doubles, which cost the CPU about a hundred times a normal operation (the
    /// part and noise filters spent most of their time there); anything this small is zero
    /// once it reaches a Float, and is below the last bit of any sum with a real input.
    static let flush = 1e-200

    /// How often (samples) a loop flushes: a state that just fell under `flush` needs more
    /// samples than this to reach the subnormals unless its filter is very fast, and then it
    /// underflows to zero within a few hundred. Kept off the per-sample path, where the
    /// compare would lengthen the recursion.
    static let flushInterval = 1024

    @inline(__always)
    public mutating func process(_ x: Float) -> Float {
        let xd = Double(x)
        let y = b0 * xd + z1
        z1 = b1 * xd - a1 * y + z2
        z2 = b2 * xd - a2 * y
        return Float(y)
    }

    /// Flushes decayed state to zero (call every `flushInterval` samples or per block).
    @inline(__always)
    mutating func flushDecayedState() {
        if abs(z1) < Self.flush { z1 = 0 }
        if abs(z2) < Self.flush { z2 = 0 }
    }

    public mutating func process(_ samples: inout [Float]) {
        samples.withUnsafeMutableBufferPointer { p in
            for i in p.indices {
                p[i] = process(p[i])
                if i & (Self.flushInterval - 1) == 0 { flushDecayedState() }
            }
        }
    }
}
