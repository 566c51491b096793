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
        // The sample-by-sample stages run fused, one pass per channel: each is a short
        // recursion the CPU waits on (filters, phasors, combs), and side by side in one loop
        // their waits overlap. The result is the same bits as stage after stage.
        let sr = buffer.sampleRate
        let fusedNoise = noise.map { $0.amount > 0 && $0.levelDB == nil } ?? false
        let wobbleKernel = wobble?.kernel(sampleRate: sr)
        let wobbles = wobbleKernel.map { [$0, $0.copy()] }
        defer { wobbles?.forEach { $0.free() } }
        nonisolated(unsafe) let rings = wobbles
        let (warmth, saturation, reverb, noise) = (self.warmth, self.saturation, self.reverb.flatMap { $0.wet > 0 ? $0 : nil }, fusedNoise ? self.noise : nil)
        if let warmth, let saturation, let wobbles, let reverb, let noise {
            // The usual chain, every stage present: both channels in one pass of the C kernel.
            var fused = FusedChain(warmth: warmth, saturation: saturation, wobbles: (wobbles[0], wobbles[1]), reverb: reverb,
                                   noise: noise, frames: buffer.frames, sampleRate: sr)
            fused.run(&buffer)
        } else {
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
        if !fusedNoise { self.noise?.process(&buffer) }
        tapeStop?.process(&buffer)
        fade?.process(&buffer)
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
