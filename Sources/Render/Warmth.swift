/// Tape-and-vinyl warmth: the highs rolled off by a Butterworth low-pass and sub-bass
/// rumble removed by a high-pass.
public struct Warmth: Sendable {
    /// Low-pass corner in Hz; lower is darker.
    public var lowPassCutoff: Double
    /// High-pass corner in Hz.
    public var highPassCutoff: Double

    public init(lowPassCutoff: Double = 9000, highPassCutoff: Double = 35) {
        self.lowPassCutoff = lowPassCutoff
        self.highPassCutoff = highPassCutoff
    }

    public func process(_ buffer: inout StereoBuffer) {
        let sr = buffer.sampleRate
        let lowPass = Biquad.lowPass(cutoff: min(lowPassCutoff, 0.45 * sr), sampleRate: sr)
        let highPass = Biquad.highPass(cutoff: highPassCutoff, sampleRate: sr)
        buffer.forEachChannel { _, p in
            var lp = lowPass, hp = highPass
            for i in p.indices { p[i] = hp.process(lp.process(p[i])) }
        }
    }
}
