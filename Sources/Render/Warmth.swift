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
        let me = self, sr = buffer.sampleRate
        buffer.forEachChannel { _, p in
            var k = me.kernel(sampleRate: sr)
            for i in p.indices { p[i] = k.next(p[i]) }
        }
    }

    func kernel(sampleRate sr: Double) -> Kernel {
        Kernel(lowPass: Biquad.lowPass(cutoff: min(lowPassCutoff, 0.45 * sr), sampleRate: sr),
               highPass: Biquad.highPass(cutoff: highPassCutoff, sampleRate: sr))
    }

    /// One channel's running filters.
    struct Kernel {
        var lowPass: Biquad
        var highPass: Biquad
        var i = 0

        init(lowPass: Biquad, highPass: Biquad) {
            self.lowPass = lowPass
            self.highPass = highPass
        }

        @inline(__always)
        mutating func next(_ x: Float) -> Float {
            let y = highPass.process(lowPass.process(x))
            if i & (Biquad.flushInterval - 1) == 0 {
                lowPass.flushDecayedState()
                highPass.flushDecayedState()
            }
            i += 1
            return y
        }
    }
}
