import Theory

/// The master stage's lo-fi processing, in order: warmth, saturation, tape wobble, reverb,
/// surface noise, tape stop, fades. A nil stage is skipped.
public struct LofiChain: Sendable {
    public var warmth: Warmth?
    public var saturation: Saturation?
    public var wobble: TapeWobble?
    public var reverb: Reverb?
    public var noise: SurfaceNoise?
    public var tapeStop: TapeStop?
    public var fade: Fade?

    public init(warmth: Warmth? = nil, saturation: Saturation? = nil, wobble: TapeWobble? = nil,
                reverb: Reverb? = nil, noise: SurfaceNoise? = nil, tapeStop: TapeStop? = nil, fade: Fade? = nil) {
        self.warmth = warmth
        self.saturation = saturation
        self.wobble = wobble
        self.reverb = reverb
        self.noise = noise
        self.tapeStop = tapeStop
        self.fade = fade
    }

    public func process(_ buffer: inout StereoBuffer) {
        _ = process(&buffer, measuring: false)
    }

    /// Runs the chain; with `measuring`, also measures the result's gating blocks for the
    /// loudness stage. In the usual chain (every sample-by-sample stage present), the meter
    /// follows the chain: the kernel runs in pieces, and every 100 ms that nothing after it
    /// will change (not the tape stop's stretch, not the fade-out's) is fed to libebur128,
    /// on a second core when the render has one, so measuring costs no wall time of its own.
    /// The blocks and the audio are the same bits on one core or two. Nil where it did not
    /// measure (a chain missing a stage): the loudness stage then measures on its own.
    public func process(_ buffer: inout StereoBuffer, measuring: Bool) -> LoudnessBlocks? {
        // The sample-by-sample stages run fused: each is a short recursion the CPU waits on
        // (filters, phasors, combs), and side by side their waits overlap. The result is the
        // same bits as stage after stage.
        let sr = buffer.sampleRate
        let fusedNoise = noise.map { $0.amount > 0 && $0.levelDB == nil } ?? false
        let wobbleKernel = wobble?.kernel(sampleRate: sr)
        let wobbles = wobbleKernel.map { [$0, $0.copy()] }
        defer { wobbles?.forEach { $0.free() } }
        let (warmth, saturation, reverb, noise) = (self.warmth, self.saturation, self.reverb.flatMap { $0.wet > 0 ? $0 : nil }, fusedNoise ? self.noise : nil)
        if let warmth, let saturation, let wobbles, let reverb, let noise {
            // The usual chain, every stage present: both channels in one pass of the C kernel.
            var fused = FusedChain(warmth: warmth, saturation: saturation, wobbles: (wobbles[0], wobbles[1]), reverb: reverb,
                                   noise: noise, frames: buffer.frames, sampleRate: sr)
            defer { fused.free() }
            return runFollowed(&fused, &buffer, measuring: measuring)
        }
        processStages(&buffer, warmth: warmth, saturation: saturation, wobbles: wobbles, reverb: reverb, noise: noise)
        if !fusedNoise { self.noise?.process(&buffer) }
        tapeStop?.process(&buffer)
        fade?.process(&buffer)
        // Not measured here: the loudness stage measures the finished buffer itself.
        return nil
    }

    /// The stages one by one, each channel on its own (a chain missing some stage).
    private func processStages(_ buffer: inout StereoBuffer, warmth: Warmth?, saturation: Saturation?, wobbles: [TapeWobble.Kernel]?,
                               reverb: Reverb?, noise: SurfaceNoise?) {
        let sr = buffer.sampleRate
        nonisolated(unsafe) let rings = wobbles
        buffer.forEachChannel { ch, y in
            var w = warmth?.kernel(sampleRate: sr)
            var wobble = rings?[ch]
            var room = reverb?.kernel(channel: ch, sampleRate: sr)
            defer { room?.free() }
            var surface = noise?.voice(channel: ch, frames: y.count, sampleRate: sr)
            let drive = saturation?.drive ?? 1, inverse = 1 / drive
            for i in y.indices {
                var v = y[i]
                if w != nil { v = w!.next(v) }
                if saturation != nil { v = Saturation.softClip(drive * v) * inverse }
                if wobble != nil { v = wobble!.next(v) }
                if room != nil { v = room!.next(v) }
                if surface != nil { v += surface!.next() }
                y[i] = v
            }
        }
    }

    /// The fused kernel in pieces, the fade-in applied behind it, the tape stop and the
    /// fade-out at the end, and (measuring) the meter following what is final.
    private func runFollowed(_ fused: inout FusedChain, _ buffer: inout StereoBuffer, measuring: Bool) -> LoudnessBlocks? {
        let n = buffer.frames, sr = buffer.sampleRate
        let fadeIn = fade?.inFrames(n, sampleRate: sr) ?? 0
        // Frames nothing after the chain touches but the fade-in.
        var settled = n - (fade?.outFrames(n, sampleRate: sr) ?? 0)
        if let tapeStop { settled = min(settled, max(0, Int((tapeStop.start * sr).rounded()))) }
        // The tape stop reads what the chain left in its stretch; a fade-in reaching into it
        // (a song of a second or two) must come after it, as in the stage-by-stage order.
        let early = fadeIn <= settled
        if !early { settled = 0 }
        let meter = measuring ? LoudnessFollower(sampleRate: sr) : nil
        let follower = measuring && RenderWorkers.current > 1 ? MeterThread(meter!) : nil
        let piece = 1 << 15
        let fade = self.fade
        buffer.left.withUnsafeMutableBufferPointer { lb in
            buffer.right.withUnsafeMutableBufferPointer { rb in
                guard let l = lb.baseAddress, let r = rb.baseAddress else { return }
                var done = 0
                while done < n {
                    let end = min(n, done + piece)
                    fused.run(l, r, frames: done..<end)
                    if early { fade?.processIn(l, r, frames: done..<end, of: n, sampleRate: sr) }
                    done = end
                    let final = min(done, settled)
                    if let follower { follower.advance(to: final, l, r) } else { meter?.feed(l, r, upTo: final) }
                }
            }
        }
        tapeStop?.process(&buffer)
        if early { fade?.processOut(&buffer) } else { fade?.process(&buffer) }
        guard let meter else { return nil }
        buffer.left.withUnsafeBufferPointer { lb in
            buffer.right.withUnsafeBufferPointer { rb in
                if let l = lb.baseAddress, let r = rb.baseAddress {
                    if let follower { follower.advance(to: n, l, r) } else { meter.feed(l, r, upTo: n) }
                }
                // Inside the scope: the meter reads through these pointers until it is done.
                follower?.finish()
            }
        }
        return LoudnessBlocks(blocks: meter.blocks)
    }

    /// Only the fades: what `--no-effects` keeps so that the file still starts and ends cleanly.
    public static let clean = LofiChain(fade: Fade(fadeIn: 0.01, fadeOut: 0.05))
}

extension LofiChain {
    /// The chain for a song's mood. Calm songs are darker, wobblier and wetter; energetic
    /// ones brighter and drier with more drive; sad minor songs get rain instead of vinyl.
    public static func preset(energy: Double, valence: Double, mode: Mode, seed: UInt64) -> LofiChain {
        let calm = 1 - min(max(energy, 0), 1)
        let rainy = mode.isMinor && valence < 0.35
        return LofiChain(
            warmth: Warmth(lowPassCutoff: 6500 + 5000 * (1 - calm), highPassCutoff: 35),
            saturation: Saturation(drive: Float(1.3 + 0.8 * (1 - calm))),
            wobble: TapeWobble(wowCents: 5 + 9 * calm, wowRate: 0.5, flutterCents: 1.5 + 1.5 * calm, flutterRate: 6.5, seed: seed),
            reverb: Reverb(wet: Float(0.12 + 0.14 * calm), roomSize: Float(0.74 + 0.08 * calm), damping: 0.45),
            noise: SurfaceNoise(kind: rainy ? .rain : .vinyl, amount: Float(0.35 + 0.4 * calm), seed: seed),
            fade: Fade(fadeIn: 1.0, fadeOut: 4.0))
    }
}
