import Foundation
import Render
import Theory

/// How a track is made into audio: format, rate, loudness, effects overrides, stems.
/// Nil fields take their default (the output's extension, the format's rate, the song's mood).
public struct AudioSettings: Sendable, Equatable {
    /// Soundfont (.sf2/.sf3); nil: `$LOFI_SOUNDFONT`, the project's, then the system's.
    public var soundfont: String?
    /// Soundfont for the drums; nil: `$LOFI_DRUM_SOUNDFONT`, the AVL kits, the instruments' kit.
    public var drumSoundfont: String?
    public var format: AudioFormat?
    public var sampleRate: Double?
    /// Integrated loudness target, LUFS.
    public var loudness: Double = -14
    /// True-peak ceiling, dBTP.
    public var truePeak: Double = -1
    /// A clean render: no lo-fi chain (loudness still applies).
    public var noEffects = false
    /// Surface noise in dB relative to the music's integrated loudness.
    public var crackle: Double?
    /// Sidechain depth in dB (0 = off).
    public var duck: Double?
    /// Drum bus amount 0…1 (0 = clean).
    public var drumGrit: Double?
    /// End with a tape stop.
    public var tapeStop = false
    /// Write a seamless loop of the main section instead of the song (no stems).
    public var loop = false
    public var wow: Double?
    public var warmth: Double?
    public var reverb: Double?
    /// Also write one float WAV per part (`OUT.stem-<part>.wav`), pre-master.
    public var stems = false
    /// The melody sung by the soundfont's "Voice Oohs" (for lyrics).
    public var voice = false

    public init() {}

    /// The arranger these settings call for: the loop form, the voice.
    public var arranger: Arranger {
        var a = loop ? Arranger.loop : Arranger()
        if voice { a.melodyProgram = Arranger.voiceProgram }
        return a
    }

    public static let sampleRates: [Double] = [44100, 48000]
    public static let loudnessRange = -40.0 ... -5.0
    public static let truePeakRange = -12.0 ... 0.0
    public static let crackleRange = -80.0 ... -6.0
    public static let duckRange = 0.0 ... 12.0
    public static let drumGritRange = 0.0 ... 1.0
    public static let wowRange = 0.0 ... 100.0
    public static let warmthRange = 1000.0 ... 20000.0
    public static let reverbRange = 0.0 ... 1.0

    /// The first setting out of range, by its option name, and why; nil when all are fine.
    public func problem() -> (setting: String, problem: String)? {
        if let sampleRate, !Self.sampleRates.contains(sampleRate) { return ("sample-rate", "must be 44100 or 48000") }
        if !Self.loudnessRange.contains(loudness) { return ("loudness", "must be in -40...-5 LUFS") }
        if !Self.truePeakRange.contains(truePeak) { return ("true-peak", "must be in -12...0 dBTP") }
        if let crackle, !Self.crackleRange.contains(crackle) { return ("crackle", "must be in -80...-6 dB (relative to the music)") }
        if let duck, !Self.duckRange.contains(duck) { return ("duck", "must be in 0...12 dB") }
        if let drumGrit, !Self.drumGritRange.contains(drumGrit) { return ("drum-grit", "must be in 0...1") }
        if loop && stems { return ("loop", "writes no stems; leave out --stems") }
        if loop && tapeStop { return ("loop", "has no ending; leave out --tape-stop") }
        if let wow, !Self.wowRange.contains(wow) { return ("wow", "must be in 0...100 cents") }
        if let warmth, !Self.warmthRange.contains(warmth) { return ("warmth", "must be in 1000...20000 Hz") }
        if let reverb, !Self.reverbRange.contains(reverb) { return ("reverb", "must be in 0...1") }
        return nil
    }

    /// What shapes the effects, for a playlist's settings record.
    public var effectsDescription: String {
        if noEffects { return "none" }
        let overrides = ["crackle-db": crackle, "wow": wow, "warmth": warmth, "reverb": reverb, "duck": duck, "drum-grit": drumGrit]
            .compactMap { k, v in v.map { "\(k)=\($0)" } }.sorted()
        return (["mood presets"] + overrides + (tapeStop ? ["tape-stop"] : []) + (loop ? ["loop"] : [])).joined(separator: ";")
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

    /// The drums' soundfonts, or why the one asked for cannot be used.
    public func locateDrums() throws(StudioError) -> DrumKits {
        do { return try DrumKits.locate(explicitPath: drumSoundfont) } catch {
            throw StudioError(input: drumSoundfont ?? ProcessInfo.processInfo.environment["LOFI_DRUM_SOUNDFONT"] ?? "", problem: "\(error)", line: "\(error)")
        }
    }

    /// Each part's processing for a song: its mood's preset with the overrides; nil for a
    /// clean render.
    public func partSound(for song: Song) -> PartSound? {
        if noEffects { return nil }
        var p = PartSound.preset(energy: song.energy, valence: song.valence)
        if let duck { p.duck?.depth = duck }
        if let drumGrit { p.drumBus?.amount = drumGrit }
        return p
    }

    /// The lo-fi chain for a song: its mood's preset with the overrides applied.
    public func chain(for song: Song, seed: UInt64) -> LofiChain {
        if noEffects { return .clean }
        var c = LofiChain.preset(energy: song.energy, valence: song.valence, mode: song.musicalKey.mode, seed: seed)
        if let crackle { c.noise?.levelDB = crackle }
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
