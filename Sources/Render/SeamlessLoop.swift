/// A loop whose end wraps into its start: `frames` long, exactly the measures at the song's
/// tempo. The pre-master render (the loop's measures plus their release) is folded modulo
/// the loop length, so the last measure's release sounds at the start; the chain then runs
/// over two periods and the second is kept, so the reverb tail and the filters' state at the
/// start are those the end leaves behind. The wobble's rates are rounded to whole cycles per
/// loop, and nothing fades.
public struct SeamlessLoop: Sendable, Equatable {
    public var frames: Int

    public init(frames: Int) { self.frames = frames }

    /// Frames of `measures` measures of 4/4 at `bpm`.
    public static func frames(measures: Int, bpm: Double, sampleRate: Double) -> Int {
        Int((Double(measures) * 4 * 60 / bpm * sampleRate).rounded())
    }

    /// The render folded modulo the loop length.
    public func fold(_ mix: StereoBuffer) -> StereoBuffer {
        var out = StereoBuffer(frames: frames, sampleRate: mix.sampleRate)
        for i in 0..<mix.frames {
            out.left[i % frames] += mix.left[i]
            out.right[i % frames] += mix.right[i]
        }
        return out
    }

    /// The chain as a loop uses it: no fades, wobble in whole cycles per loop.
    public func chain(_ chain: LofiChain, sampleRate: Double) -> LofiChain {
        var c = chain
        c.fade = nil
        c.tapeStop = nil
        let seconds = Double(frames) / sampleRate
        func whole(_ rate: Double) -> Double { max(1, (rate * seconds).rounded()) / seconds }
        if var w = c.wobble {
            w.wowRate = whole(w.wowRate)
            w.flutterRate = whole(w.flutterRate)
            c.wobble = w
        }
        return c
    }

    /// The finished loop (before loudness): the chain over two periods of the folded mix,
    /// the second kept.
    public func process(_ mix: StereoBuffer, chain: LofiChain?) -> StereoBuffer {
        let period = fold(mix)
        guard let chain else { return period }
        var twice = StereoBuffer(left: period.left + period.left, right: period.right + period.right, sampleRate: mix.sampleRate)
        self.chain(chain, sampleRate: mix.sampleRate).process(&twice)
        return StereoBuffer(left: Array(twice.left[frames...]), right: Array(twice.right[frames...]), sampleRate: mix.sampleRate)
    }
}
