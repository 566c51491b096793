import ArgumentParser
import Foundation
import Render
import Theory

/// Options shared by every command that writes audio.
struct AudioOptions: ParsableArguments {
    @Option(help: "Soundfont (.sf2/.sf3). Default: $LOFI_SOUNDFONT, then soundfonts/*.sf2|*.sf3, then the system's General MIDI soundfont.")
    var soundfont: String?

    @Option(help: "Audio format: wav (16-bit), wav24, wav-float, flac, ogg, opus, mp3. Default: from the output's extension.")
    var format: String?

    @Option(help: "Sample rate in Hz: 44100 or 48000 (Opus: 48000). Default: 44100, Opus 48000.")
    var sampleRate: Double?

    @Option(help: "Integrated loudness target in LUFS; the true peak is held at or below --true-peak.")
    var loudness: Double = -14

    @Option(help: "True-peak ceiling in dBTP.")
    var truePeak: Double = -1

    @Flag(help: "A clean render: no lo-fi effects (loudness normalisation still applies).")
    var noEffects = false

    @Option(help: "Surface noise (vinyl crackle, hiss or rain) amount, 0 = none; default from the song's mood.")
    var crackle: Double?

    @Option(help: "Tape wow depth in cents; default from the song's mood.")
    var wow: Double?

    @Option(help: "Warmth: low-pass corner in Hz (lower is darker); default from the song's mood.")
    var warmth: Double?

    @Option(help: "Reverb wet level 0…1; default from the song's mood.")
    var reverb: Double?

    @Flag(help: "Also write one float WAV per part (OUT.stem-<part>.wav), pre-master: they sum to the mix before the lo-fi chain and loudness.")
    var stems = false

    func validate() throws {
        if let format, AudioFormat(rawValue: format) == nil {
            throw ValidationError("--format \(format): unknown; use one of \(AudioFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let sampleRate, ![44100, 48000].contains(sampleRate) { throw ValidationError("--sample-rate must be 44100 or 48000") }
        if !(-40.0 ... -5.0).contains(loudness) { throw ValidationError("--loudness must be in -40...-5 LUFS") }
        if !(-12.0 ... 0.0).contains(truePeak) { throw ValidationError("--true-peak must be in -12...0 dBTP") }
        if let crackle, !(0.0...3.0).contains(crackle) { throw ValidationError("--crackle must be in 0...3") }
        if let wow, !(0.0...100.0).contains(wow) { throw ValidationError("--wow must be in 0...100 cents") }
        if let warmth, !(1000.0...20000.0).contains(warmth) { throw ValidationError("--warmth must be in 1000...20000 Hz") }
        if let reverb, !(0.0...1.0).contains(reverb) { throw ValidationError("--reverb must be in 0...1") }
    }

    /// What shapes the effects, for a playlist's settings record.
    var effectsDescription: String {
        if noEffects { return "none" }
        let overrides = ["crackle": crackle, "wow": wow, "warmth": warmth, "reverb": reverb]
            .compactMap { k, v in v.map { "\(k)=\($0)" } }.sorted()
        return (["mood presets"] + overrides).joined(separator: ";")
    }

    /// The format for an output path, or an error naming the extension.
    func audioFormat(for url: URL) throws -> AudioFormat {
        if let format, let f = AudioFormat(rawValue: format) { return f }
        guard let f = AudioFormat(fileExtension: url.pathExtension) else {
            throw CLIError("\(url.path): unknown extension '.\(url.pathExtension)'; use .wav, .flac, .ogg, .opus or .mp3, or --format")
        }
        return f
    }

    func locateSoundfont() throws -> String {
        do { return try SoundfontLocator(explicitPath: soundfont).locate() } catch { throw CLIError("\(error)") }
    }

    func chain(for song: Song, seed: UInt64) -> LofiChain {
        if noEffects { return .clean }
        var c = LofiChain.preset(energy: song.energy, valence: song.valence, mode: song.musicalKey.mode, seed: seed)
        if let crackle { c.noise?.amount = Float(crackle) }
        if let wow { c.wobble?.wowCents = wow }
        if let warmth { c.warmth?.lowPassCutoff = warmth }
        if let reverb { c.reverb?.wet = Float(reverb) }
        return c
    }

    /// `OUT.stem-<part>.wav` beside the output.
    static func stemURL(_ url: URL, _ role: PartRole) -> URL {
        URL(fileURLWithPath: "\(url.deletingPathExtension().path).stem-\(role.rawValue).wav")
    }

    /// Every stem file a render to `url` can write.
    static func stemURLs(_ url: URL) -> [URL] { PartRole.allCases.map { stemURL(url, $0) } }

    /// Renders one song to `url` (and its stems and MIDI if asked). Every file is written under
    /// a temporary name and renamed, so a failure leaves none of them half-written.
    @discardableResult
    func render(_ song: Song, seed: UInt64, to url: URL, soundfont: String, midi: URL? = nil,
                session: RenderSession? = nil, format explicit: AudioFormat? = nil) throws -> Int {
        let format = try explicit ?? audioFormat(for: url)
        let rate = sampleRate ?? format.defaultSampleRate
        guard format.supports(sampleRate: rate) else { throw CLIError("\(url.path): \(format.rawValue) needs --sample-rate 48000") }
        let score = Arranger().arrange(song, seed: seed)
        let renderer = SongRenderer(soundfont: soundfont, sampleRate: rate, chain: chain(for: song, seed: seed),
                                    loudness: LoudnessNormalizer(targetLUFS: loudness, ceilingDBTP: truePeak))
        let key = song.musicalKey
        let metadata = AudioMetadata(title: song.displayTitle,
                                     comment: "\(String(format: "%g", song.bpm)) bpm, \(key.name); lofi-render seed \(seed)")
        // Open the main output first: an unwritable path fails before any work is done.
        let writer = try AudioFileWriter(url: url, format: format, sampleRate: rate, metadata: metadata)
        var stemWriters: [PartRole: AudioFileWriter] = [:]
        if stems {
            for part in score.parts where !part.notes.isEmpty {
                stemWriters[part.role] = try AudioFileWriter(url: Self.stemURL(url, part.role),
                                                             format: .wavFloat, sampleRate: rate,
                                                             metadata: AudioMetadata(title: "\(song.displayTitle) (\(part.role.rawValue))", comment: metadata.comment))
            }
        }
        let t0 = Date()
        var mix = try renderer.synthesize(score, stems: stemWriters, session: session)
        let t1 = Date()
        renderer.chain?.process(&mix)
        let t2 = Date()
        renderer.loudness?.process(&mix)
        let t3 = Date()
        try writer.write(mix)
        if ProcessInfo.processInfo.environment["LOFI_TIMING"] != nil {
            printError(String(format: "timing: synth %.3f chain %.3f loudness %.3f write %.3f", t1.timeIntervalSince(t0), t2.timeIntervalSince(t1), t3.timeIntervalSince(t2), Date().timeIntervalSince(t3)))
        }
        for w in stemWriters.values { try w.finish() }
        if let midi { try AtomicFile.write(try score.midiData, to: midi) }
        try writer.finish()
        return mix.frames
    }
}
