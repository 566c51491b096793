import ArgumentParser
import Foundation
import LofiVAE
import Theory

struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Sample new songs from the latent space.",
        discussion: """
            Draws z ~ N(0, T²·I) from a seeded generator (SplitMix64 + Box–Muller; song i of \
            --seed S is the same whatever --count), decodes it and writes OUT by extension:
              .json  the song (an array of songs when --count > 1)
              .mid   the arranged MIDI (OUT-001.mid, OUT-002.mid … when --count > 1)
            The same seed, count, temperature and model always give the same bytes.
            """)

    @Option(help: "Seed of the latent sampler (and of the arrangement).")
    var seed: UInt64 = 0

    @Option(help: "How many songs.")
    var count: Int = 1

    @Option(help: "Scale of z: 1 samples the prior; lower is tamer, higher wilder.")
    var temperature: Double = 1

    @OptionGroup var model: ModelOption

    @Option(name: .shortAndLong, help: "Output file: .json or .mid.")
    var output: String

    @Flag(help: "Overwrite existing output files.")
    var force = false

    func validate() throws {
        guard (1...100_000).contains(count) else { throw ValidationError("--count must be in 1...100000") }
        guard temperature.isFinite, temperature > 0, temperature <= 10 else { throw ValidationError("--temperature must be in (0, 10]") }
        let ext = URL(fileURLWithPath: output).pathExtension.lowercased()
        guard ["json", "mid", "midi"].contains(ext) else {
            throw ValidationError("\(output): unknown extension '.\(ext)'; use .json or .mid (audio arrives with the render command)")
        }
    }

    func run() throws {
        let loaded = try model.load(command: "sample")
        let songs = loaded.songs(for: LatentSampler(seed: seed, temperature: temperature).latents(count: count))
        let url = URL(fileURLWithPath: output)
        var files: [(URL, [UInt8])] = []
        if url.pathExtension.lowercased() == "json" {
            files = [(url, Array((count == 1 ? songs[0].jsonString() + "\n" : Song.jsonArray(songs)).utf8))]
        } else if count == 1 {
            files = [(url, Arranger().arrange(songs[0], seed: seed).midiData)]
        } else {
            let stem = url.deletingPathExtension().path, ext = url.pathExtension
            let width = max(3, String(count).count)
            files = songs.enumerated().map { i, s in
                let n = String(i + 1)
                return (URL(fileURLWithPath: "\(stem)-\(String(repeating: "0", count: width - n.count))\(n).\(ext)"),
                        Arranger().arrange(s, seed: seed).midiData)
            }
        }
        if !force, let existing = files.first(where: { FileManager.default.fileExists(atPath: $0.0.path) }) {
            printError("sample: \(existing.0.path): already exists; pass --force to overwrite")
            throw ExitCode.failure
        }
        for (u, bytes) in files {
            do { try AtomicFile.write(bytes, to: u) } catch {
                printError("sample: \(error)")
                throw ExitCode.failure
            }
        }
    }
}
