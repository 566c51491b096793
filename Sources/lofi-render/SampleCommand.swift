import ArgumentParser
import Foundation
import Studio

struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Sample new songs from the latent space.",
        discussion: """
            Draws z ~ N(0, T²·I) from a seeded generator (SplitMix64 + Box–Muller; song i of \
            --seed S is the same whatever --count), decodes it and writes OUT by extension:
              .json  the song (an array of songs when --count > 1)
              .mid   the arranged MIDI (OUT-001.mid, OUT-002.mid … when --count > 1)
              .wav .flac .ogg .opus .mp3   finished lo-fi audio (see `lofi-render render --help`)
            Melody notes are drawn from the decoder's distribution (--melody-temperature, \
            --melody-top-p, --chord-tone-bias; the draws are seeded by z), or taken by argmax with \
            --melody-temperature 0. The same seed, count, options and model always give the same bytes.
            """)

    @Option(parsing: .unconditional, help: "Seed of the latent sampler (and of the arrangement).")
    var seed: UInt64 = 0

    @Option(parsing: .unconditional, help: "How many songs.")
    var count: Int = 1

    @Option(parsing: .unconditional, help: "Scale of z: 1 samples the prior; lower is tamer, higher wilder.")
    var temperature: Double = 1

    @OptionGroup var model: ModelOption

    @Option(name: .shortAndLong, help: "Output file: .json, .mid, or audio (.wav .flac .ogg .opus .mp3).")
    var output: String

    @OptionGroup(title: "Audio") var audio: AudioOptions

    @Flag(help: "Title songs with the model's hash (\"#0018…\") instead of a readable title; the hash is kept as \"id\" either way.")
    var hashTitles = false

    @Flag(help: "Overwrite existing output files.")
    var force = false

    func validate() throws {
        guard (1...100_000).contains(count) else { throw ValidationError("--count must be in 1...100000") }
        guard temperature.isFinite, temperature > 0, temperature <= 10 else { throw ValidationError("--temperature must be in (0, 10]") }
        let ext = URL(fileURLWithPath: output).pathExtension.lowercased()
        guard SampleOutput.kind(forExtension: ext, formatGiven: audio.format != nil) != nil else {
            throw ValidationError("\(output): unknown extension '.\(ext)'; use .json, .mid, .wav, .flac, .ogg, .opus or .mp3")
        }
    }

    func run() throws {
        let loaded = try model.load(command: "sample")
        let songs = try fail("sample") { try PriorSample(temperature: temperature, readableTitles: !hashTitles).plan(count: count, seed: seed, model: loaded).songs }
        let out = SampleOutput(output: URL(fileURLWithPath: output), seed: seed, audio: audio.settings, force: force)
        let progress = ProgressBar(total: count, label: "sample")
        try fail("sample") { try out.write(songs, progress: out.kind == .audio ? progress.callback : nil, cancellation: Interrupts.token) }
        progress.finish()
    }
}
