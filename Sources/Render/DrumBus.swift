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

    /// The bus's running state for one stereo stream. The sampler's clock is shared by both
    /// channels, and the saturation of its 4,096 levels is a table made once.
    struct Stream {
        let amount: Float
        let step: Double
        let levels: Float
        /// tanh(drive · level) / drive for each held level, lowest first.
        let shape: [Float]
        var phase = 1.0
        var shaped = SIMD2<Float>()
        var filters: (StereoBiquad, StereoBiquad)

        init(_ bus: DrumBus, sampleRate: Double) {
            amount = Float(min(max(bus.amount, 0), 1))
            let drive = Float(max(bus.drive, 0.01))
            let sampler = Sampler(rate: bus.samplerRate, bits: bus.bits, sampleRate: sampleRate)
            step = sampler.step
            levels = sampler.levels
            let half = Int(sampler.levels)
            // Unity gain for small signals; peaks round off.
            shape = (-half..<half).map { tanh(drive * (Float($0) / sampler.levels)) / drive }
            let lp = StereoBiquad(Biquad.lowPass(cutoff: min(bus.lowPass, 0.45 * sampleRate), sampleRate: sampleRate))
            filters = (lp, lp)
        }

        /// Rounds half away from zero, as `Float.rounded()`, without a call (|x| < 2²²).
        @inline(__always)
        static func roundedHalfAway(_ x: Float) -> Float {
            let t = Float(Int32(x))  // toward zero, exact
            let r = x - t  // exact
            return r >= 0.5 ? t + 1 : r <= -0.5 ? t - 1 : t
        }

        /// One stereo frame through the bus (the same steps as `Sampler`, then tanh, then the
        /// reconstruction low-pass, blended with the dry frame).
        @inline(__always)
        mutating func process(_ dry: SIMD2<Float>) -> SIMD2<Float> {
            guard amount > 0 else { return dry }
            phase += step
            if phase >= 1 {
                phase -= 1
                for c in 0..<2 {
                    // The level index, clamped as the sampler clamps (inputs can exceed ±1).
                    let q = max(-levels, min(levels - 1, Self.roundedHalfAway(max(-4 * levels, min(4 * levels, dry[c] * levels)))))
                    shaped[c] = shape[Int(q + levels)]
                }
            }
            var y = SIMD2<Float>(filters.0.process(SIMD2<Double>(shaped)))
            y = SIMD2<Float>(filters.1.process(SIMD2<Double>(y)))
            return dry + amount * (y - dry)
        }

        mutating func flushDecayedState() {
            filters.0.flushDecayedState()
            filters.1.flushDecayedState()
        }
    }
}
