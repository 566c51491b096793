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
        warmth?.process(&buffer)
        saturation?.process(&buffer)
        wobble?.process(&buffer)
        reverb?.process(&buffer)
        noise?.process(&buffer)
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
