/// A tape stop: from `start` the tape decelerates linearly to a halt over `duration`, so
/// pitch and speed fall together (the read position advances at 1 − t/T), then silence.
public struct TapeStop: Sendable, Equatable {
    /// Seconds from the start of the track.
    public var start: Double
    public var duration: Double

    public init(start: Double, duration: Double = 1.6) {
        self.start = start
        self.duration = duration
    }

    public func process(_ buffer: inout StereoBuffer) {
        let sr = buffer.sampleRate
        let s = Int((start * sr).rounded()), t = duration * sr
        guard s >= 0, s < buffer.frames, t >= 1 else { return }
        // The tape covers T/2 frames of input while it stops; keep them before overwriting.
        let covered = min(buffer.frames - s, Int((t / 2).rounded(.up)) + 2)
        let me = (s: s, t: t, covered: covered)
        buffer.forEachChannel { _, y in
            let source = Array(y[me.s..<(me.s + me.covered)])
            for i in me.s..<y.count {
                let e = Double(i - me.s)
                guard e < me.t else { y[i] = 0; continue }
                let pos = e - e * e / (2 * me.t)
                let k = Int(pos), frac = Float(pos - Double(k))
                let a = k < source.count ? source[k] : 0, b = k + 1 < source.count ? source[k + 1] : 0
                y[i] = a + (b - a) * frac
            }
        }
    }
}
