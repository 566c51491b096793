import ArgumentParser
import Studio

@main
struct LofiRender: ParsableCommand {

    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "lofi-render",
        abstract: "Make lo-fi music end to end: latent space → song → arrangement → MIDI and audio.",
        discussion: """
            Songs are JSON objects (key, mode, bpm, energy, valence, chords, melodies) as the \
            Lofi2Lofi model and the Lofi web player use them; see the README.
            """,
        version: "0.1.0\n" + BLASEnvironment.summary + "\n" + VectorLevel.summary,
        subcommands: [SampleCommand.self, LyricsCommand.self, RenderCommand.self, DecodeCommand.self, MidiCommand.self, ImportCheckpointCommand.self, DatasetCommand.self, TrainCommand.self, EvaluateCommand.self, PlaylistCommand.self, ServeCommand.self, BenchCommand.self]) }

    static func main() {
        BLASEnvironment.relaunchIfNeeded()
        main(nil)
    }
}
