import CLofiDSP
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

    /// The bus's running state for one stereo stream, run by the C kernel (`lofi_band_run`).
    /// The sampler's clock is shared by both channels, and the saturation of its 4,096
    /// levels is a table made once.
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

        /// Runs `body` on the stream as the C kernel holds it (`lofi_drum_bus`), then keeps
        /// what it changed: the sampler's clock, the held levels and the filters' state.
        mutating func withState(_ body: (inout lofi_drum_bus) -> Void) {
            shape.withUnsafeBufferPointer { table in
                var state = lofi_drum_bus(amount: amount, levels: levels, step: step, phase: phase, shape: table.baseAddress,
                                          shaped: (shaped.x, shaped.y),
                                          filter: ((PartStream.section(filters.0, lane: 0), PartStream.section(filters.0, lane: 1)),
                                                   (PartStream.section(filters.1, lane: 0), PartStream.section(filters.1, lane: 1))))
                body(&state)
                phase = state.phase
                shaped = SIMD2(state.shaped.0, state.shaped.1)
                filters.0.z1 = SIMD2(state.filter.0.0.z1, state.filter.0.1.z1)
                filters.0.z2 = SIMD2(state.filter.0.0.z2, state.filter.0.1.z2)
                filters.1.z1 = SIMD2(state.filter.1.0.z1, state.filter.1.1.z1)
                filters.1.z2 = SIMD2(state.filter.1.0.z2, state.filter.1.1.z2)
            }
        }
    }
}
