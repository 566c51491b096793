import ArgumentParser
import Foundation
import LofiVAE
import Render
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
              .wav .flac .ogg .opus .mp3   finished lo-fi audio (see `lofi-render render --help`)
            Melody notes are drawn from the decoder's distribution (--melody-temperature, \
            --melody-top-p, --chord-tone-bias; the draws are seeded by z), or taken by argmax with \
            --melody-temperature 0. The same seed, count, options and model always give the same bytes.
            """)

    @Option(help: "Seed of the latent sampler (and of the arrangement).")
    var seed: UInt64 = 0

    @Option(help: "How many songs.")
    var count: Int = 1

    @Option(help: "Scale of z: 1 samples the prior; lower is tamer, higher wilder.")
    var temperature: Double = 1

    @OptionGroup var model: ModelOption

    @Option(name: .shortAndLong, help: "Output file: .json, .mid, or audio (.wav .flac .ogg .opus .mp3).")
    var output: String

    @OptionGroup(title: "Audio") var audio: AudioOptions

    @Flag(help: "Overwrite existing output files.")
    var force = false

    func validate() throws {
        guard (1...100_000).contains(count) else { throw ValidationError("--count must be in 1...100000") }
        guard temperature.isFinite, temperature > 0, temperature <= 10 else { throw ValidationError("--temperature must be in (0, 10]") }
        let ext = URL(fileURLWithPath: output).pathExtension.lowercased()
        guard ["json", "mid", "midi"].contains(ext) || AudioFormat(fileExtension: ext) != nil || audio.format != nil else {
            throw ValidationError("\(output): unknown extension '.\(ext)'; use .json, .mid, .wav, .flac, .ogg, .opus or .mp3")
        }
    }

    func run() throws {
        let loaded = try model.load(command: "sample")
        let songs: [Song]
        do { songs = try loaded.checkedSongs(for: LatentSampler(seed: seed, temperature: temperature).latents(count: count)) } catch {
            printError("sample: \(model.model ?? "bundled model"): \(error)")
            throw ExitCode.failure
        }
        let url = URL(fileURLWithPath: output)
        let ext = url.pathExtension.lowercased()
        let stem = url.deletingPathExtension().path
        let width = max(3, String(count).count)
        func numbered(_ i: Int) -> URL {
            if count == 1 { return url }
            let n = String(i + 1)
            return URL(fileURLWithPath: "\(stem)-\(String(repeating: "0", count: width - n.count))\(n).\(url.pathExtension)")
        }
        if ext != "json" && ext != "mid" && ext != "midi" {
            // Audio: one file per song, rendered in turn (each render uses both cores).
            let targets = (0..<count).map(numbered)
            if !force, let existing = targets.first(where: { FileManager.default.fileExists(atPath: $0.path) }) {
                printError("sample: \(existing.path): already exists; pass --force to overwrite")
                throw ExitCode.failure
            }
            do {
                let soundfont = try audio.locateSoundfont()
                Interrupts.cleanOnInterrupt(url.deletingLastPathComponent())
                let progress = ProgressBar(total: count, label: "sample")
                for (song, target) in zip(songs, targets) {
                    try audio.render(song, seed: seed, to: target, soundfont: soundfont)
                    progress.advance()
                }
                progress.finish()
            } catch {
                printError("sample: \(error)")
                throw ExitCode.failure
            }
            return
        }
        var files: [(URL, [UInt8])] = []
        if ext == "json" {
            files = [(url, Array((count == 1 ? songs[0].jsonString() + "\n" : Song.jsonArray(songs)).utf8))]
        } else {
            do { files = try songs.enumerated().map { i, s in (numbered(i), try Arranger().arrange(s, seed: seed).midiData) } } catch {
                printError("sample: \(error)")
                throw ExitCode.failure
            }
        }
        if !force, let existing = files.first(where: { FileManager.default.fileExists(atPath: $0.0.path) }) {
            printError("sample: \(existing.0.path): already exists; pass --force to overwrite")
            throw ExitCode.failure
        }
        Interrupts.cleanOnInterrupt(url.deletingLastPathComponent())
        for (u, bytes) in files {
            do { try AtomicFile.write(bytes, to: u) } catch {
                printError("sample: \(error)")
                throw ExitCode.failure
            }
        }
    }
}
