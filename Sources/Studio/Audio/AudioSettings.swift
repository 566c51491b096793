import Foundation
import Render
import Theory

/// How a track is made into audio: format, rate, loudness, effects overrides, stems.
/// Nil fields take their default (the output's extension, the format's rate, the song's mood).
public struct AudioSettings: Sendable, Equatable {
    /// Soundfont (.sf2/.sf3); nil: `$LOFI_SOUNDFONT`, the project's, then the system's.
    public var soundfont: String?
    public var format: AudioFormat?
    public var sampleRate: Double?
    /// Integrated loudness target, LUFS.
    public var loudness: Double = -14
    /// True-peak ceiling, dBTP.
    public var truePeak: Double = -1
    /// A clean render: no lo-fi chain (loudness still applies).
    public var noEffects = false
    public var crackle: Double?
    public var wow: Double?
    public var warmth: Double?
    public var reverb: Double?
    /// Also write one float WAV per part (`OUT.stem-<part>.wav`), pre-master.
    public var stems = false

    public init() {}

    public static let sampleRates: [Double] = [44100, 48000]
    public static let loudnessRange = -40.0 ... -5.0
    public static let truePeakRange = -12.0 ... 0.0
    public static let crackleRange = 0.0 ... 3.0
    public static let wowRange = 0.0 ... 100.0
    public static let warmthRange = 1000.0 ... 20000.0
    public static let reverbRange = 0.0 ... 1.0

    /// The first setting out of range, by its option name, and why; nil when all are fine.
    public func problem() -> (setting: String, problem: String)? {
        if let sampleRate, !Self.sampleRates.contains(sampleRate) { return ("sample-rate", "must be 44100 or 48000") }
        if !Self.loudnessRange.contains(loudness) { return ("loudness", "must be in -40...-5 LUFS") }
        if !Self.truePeakRange.contains(truePeak) { return ("true-peak", "must be in -12...0 dBTP") }
        if let crackle, !Self.crackleRange.contains(crackle) { return ("crackle", "must be in 0...3") }
        if let wow, !Self.wowRange.contains(wow) { return ("wow", "must be in 0...100 cents") }
        if let warmth, !Self.warmthRange.contains(warmth) { return ("warmth", "must be in 1000...20000 Hz") }
        if let reverb, !Self.reverbRange.contains(reverb) { return ("reverb", "must be in 0...1") }
        return nil
    }

    /// What shapes the effects, for a playlist's settings record.
    public var effectsDescription: String {
        if noEffects { return "none" }
        let overrides = ["crackle": crackle, "wow": wow, "warmth": warmth, "reverb": reverb]
            .compactMap { k, v in v.map { "\(k)=\($0)" } }.sorted()
        return (["mood presets"] + overrides).joined(separator: ";")
    }

    /// The format for an output path, or an error naming the extension.
    public func audioFormat(for url: URL) throws(StudioError) -> AudioFormat {
        if let format { return format }
        guard let f = AudioFormat(fileExtension: url.pathExtension) else {
            throw StudioError(url.path, "unknown extension '.\(url.pathExtension)'; use .wav, .flac, .ogg, .opus or .mp3, or --format")
        }
        return f
    }

    /// The soundfont path this render uses, or why there is none.
    public func locateSoundfont() throws(StudioError) -> String {
        do { return try SoundfontLocator(explicitPath: soundfont).locate() } catch {
            throw StudioError(input: soundfont ?? "", problem: "\(error)", line: "\(error)")
        }
    }

    /// The lo-fi chain for a song: its mood's preset with the overrides applied.
    public func chain(for song: Song, seed: UInt64) -> LofiChain {
        if noEffects { return .clean }
        var c = LofiChain.preset(energy: song.energy, valence: song.valence, mode: song.musicalKey.mode, seed: seed)
        if let crackle { c.noise?.amount = Float(crackle) }
        if let wow { c.wobble?.wowCents = wow }
        if let warmth { c.warmth?.lowPassCutoff = warmth }
        if let reverb { c.reverb?.wet = Float(reverb) }
        return c
    }

    /// `OUT.stem-<part>.wav` beside the output.
    public static func stemURL(_ url: URL, _ role: PartRole) -> URL {
        URL(fileURLWithPath: "\(url.deletingPathExtension().path).stem-\(role.rawValue).wav")
    }

    /// Every stem file a render to `url` can write.
    public static func stemURLs(_ url: URL) -> [URL] { PartRole.allCases.map { stemURL(url, $0) } }
}
