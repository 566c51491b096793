import ArgumentParser
import Foundation
import Studio

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render songs to finished lo-fi audio (WAV, FLAC, Ogg Vorbis, Opus, MP3).",
        discussion: """
            SONG is a song JSON file, an array of songs (one output each, numbered OUT-001.wav …), \
            or - for stdin. The arrangement is synthesised through FluidSynth (the drums from their \
            own kit), each part shaped on its own (its band, the keys ducking under the kick, the \
            drums through a 12-bit sampler bus), then the lo-fi chain \
            (warmth, saturation, tape wow and flutter, reverb, vinyl crackle or rain, fades) and \
            loudness normalisation to --loudness LUFS with the true peak at or below --true-peak dBTP. \
            The same song and --seed give a byte-identical file. A song with a "lyrics" field also \
            gets OUT.lrc (timed lyrics) beside the audio, and lyric events in its --midi. Existing \
            files are overwritten only with --force.
            """)

    @Argument(help: "Song JSON file (one song or an array), or - for stdin.")
    var song: String

    @Option(name: .shortAndLong, help: "Output audio file; the format follows the extension unless --format is given.")
    var output: String

    @Option(parsing: .unconditional, help: "Arrangement and effects seed.")
    var seed: UInt64 = 0

    @Option(help: "Also write the arrangement as a Standard MIDI File here.")
    var midi: String?

    @Flag(help: "Overwrite existing output files.")
    var force = false

    @Flag(help: "Write a seamless loop instead of the song: one pass of the main section (at least 8 measures), exactly that many measures long, whose end wraps into its start.")
    var loop = false

    @OptionGroup var audio: AudioOptions

    func validate() throws {
        var s = audio.settings
        s.loop = loop
        if let (setting, problem) = s.problem() { throw ValidationError("--\(setting) \(problem)") }
    }

    var settings: AudioSettings {
        var s = audio.settings
        s.loop = loop
        return s
    }

    func run() throws {
        let songs = try fail("render") { try SongFiles.songs(in: song) }
        let batch = RenderBatch(songs: songs, output: URL(fileURLWithPath: output), midi: midi.map { URL(fileURLWithPath: $0) },
                                seed: seed, audio: settings, force: force)
        let progress = ProgressBar(total: songs.count, label: "render")
        let timing = Timing.print, cancellation = Interrupts.token
        try fail("render") { try batch.run(progress: progress.callback, cancellation: cancellation, timing: timing) }
        progress.finish()
    }
}

/// `LOFI_TIMING=1`: each render's stage times on stderr.
enum Timing {
    static let enabled = ProcessInfo.processInfo.environment["LOFI_TIMING"] != nil

    @Sendable static func show(_ r: TrackProducer.Result) {
        printError(String(format: "timing: synth %.3f chain %.3f loudness %.3f write %.3f", r.synthesis, r.chain, r.loudness, r.writing))
    }

    static var print: (@Sendable (TrackProducer.Result) -> Void)? { enabled ? show : nil }
}
