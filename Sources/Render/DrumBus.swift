import Foundation

/// The drum bus of a classic sampling drum machine: the drums resampled to 26.04 kHz with
/// 12-bit words (no anti-alias filter before it, so highs fold back as they did), gentle
/// saturation, then a reconstruction low-pass against the sampler's images. `amount` blends
/// it with the clean drums (0 = clean).
public struct DrumBus: Sendable, Equatable {
    public var amount: Double
    /// The sampler's rate, Hz.
    public var samplerRate: Double = 26_040
    /// The sampler's word length.
    public var bits: Int = 12
    /// tanh drive of the saturation (1 = almost linear at drum levels).
    public var drive: Double = 1.6
    /// Cutoff of the reconstruction low-pass (two Butterworth sections, 24 dB/octave).
    public var lowPass: Double = 11_000

    public init(amount: Double) { self.amount = amount }

    /// Rate reduction and quantisation alone: a sample-and-hold at `samplerRate` whose
    /// held value is rounded to one of 2^bits levels spanning −1…1.
    public struct Sampler: Sendable {
        let step: Double
        let levels: Float
        var phase = 1.0
        var held: Float = 0

        public init(rate: Double, bits: Int, sampleRate: Double) {
            step = rate / sampleRate
            levels = Float(1 << (bits - 1))
        }

        @inline(__always)
        public mutating func process(_ x: Float) -> Float {
            phase += step
            if phase >= 1 {
                phase -= 1
                held = max(-levels, min(levels - 1, (x * levels).rounded())) / levels
            }
            return held
        }
    }

    /// The bus's running state for one stereo stream.
    struct Stream {
        let amount: Float
        let drive: Float
        var sampler: [Sampler]
        var filters: [[Biquad]]

        init(_ bus: DrumBus, sampleRate: Double) {
            amount = Float(min(max(bus.amount, 0), 1))
            drive = Float(max(bus.drive, 0.01))
            sampler = Array(repeating: Sampler(rate: bus.samplerRate, bits: bus.bits, sampleRate: sampleRate), count: 2)
            let lp = Biquad.lowPass(cutoff: min(bus.lowPass, 0.45 * sampleRate), sampleRate: sampleRate)
            filters = Array(repeating: [lp, lp], count: 2)
        }

        mutating func process(_ x: UnsafeMutablePointer<Float>, count: Int, channel c: Int) {
            guard amount > 0 else { return }
            for i in 0..<count {
                let dry = x[i]
                var y = sampler[c].process(dry)
                // Unity gain for small signals; peaks round off.
                y = tanh(drive * y) / drive
                y = filters[c][0].process(y)
                y = filters[c][1].process(y)
                x[i] = dry + amount * (y - dry)
            }
        }
    }
}
