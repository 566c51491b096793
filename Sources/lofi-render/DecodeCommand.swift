import ArgumentParser
import Foundation
import Studio

struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode latent vectors into songs.",
        discussion: """
            LATENT is a JSON file (or - for stdin) holding one array of 100 numbers, or an array \
            of such arrays. Prints the song (or an array of songs) as JSON, or writes it to -o. \
            Melody notes are sampled as `sample` does (seeded by the latent, so the same latent \
            gives the same song); --melody-temperature 0 decodes by argmax, as the reference does.
            """)

    @Argument(help: "Latent JSON file, or - for stdin.")
    var latent: String

    @OptionGroup var model: ModelOption

    @Option(name: .shortAndLong, help: "Write the JSON here instead of standard output.")
    var output: String?

    func run() throws {
        let (vectors, single) = try fail("decode") {
            let data = try AtomicFile.read(latent)
            do { return try LatentFile.parse(data) } catch { throw StudioError(latent, "\(error)") }
        }
        let loaded = try model.load(command: "decode")
        let text = try fail("decode") { DecodedLatents.json(try DecodedLatents.songs(vectors, model: loaded), single: single) }
        if let output {
            let url = URL(fileURLWithPath: output)
            try fail("decode") {
                Interrupts.token.writes(into: url.deletingLastPathComponent())
                try AtomicFile.write(Array(text.utf8), to: url)
            }
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}
