import ArgumentParser
import Foundation
import Render
import Theory

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render songs to finished lo-fi audio (WAV, FLAC, Ogg Vorbis, Opus, MP3).",
        discussion: """
            SONG is a song JSON file, an array of songs (one output each, numbered OUT-001.wav …), \
            or - for stdin. The arrangement is synthesised through FluidSynth, then the lo-fi chain \
            (warmth, saturation, tape wow and flutter, reverb, vinyl crackle or rain, fades) and \
            loudness normalisation to --loudness LUFS with the true peak at or below --true-peak dBTP. \
            The same song and --seed give a byte-identical file. Existing files are overwritten only \
            with --force.
            """)

    @Argument(help: "Song JSON file (one song or an array), or - for stdin.")
    var song: String

    @Option(name: .shortAndLong, help: "Output audio file; the format follows the extension unless --format is given.")
    var output: String

    @Option(help: "Arrangement and effects seed.")
    var seed: UInt64 = 0

    @Option(help: "Also write the arrangement as a Standard MIDI File here.")
    var midi: String?

    @Flag(help: "Overwrite existing output files.")
    var force = false

    @OptionGroup var audio: AudioOptions

    func run() throws {
        let data: Data
        do {
            data = song == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: song))
        } catch {
            printError("render: \(song): cannot read: \(AtomicFile.reason(error))")
            throw ExitCode.failure
        }
        let songs: [Song]
        do {
            songs = try Song.decodeDocument(data).map { try $0.get() }
        } catch {
            printError("render: \(song): \(error)")
            throw ExitCode.failure
        }
        let url = URL(fileURLWithPath: output)
        let targets: [URL] = songs.count == 1 ? [url] : (1...songs.count).map { i in
            let n = String(i), width = max(3, String(songs.count).count)
            return url.deletingLastPathComponent().appendingPathComponent("\(url.deletingPathExtension().lastPathComponent)-\(String(repeating: "0", count: width - n.count))\(n).\(url.pathExtension)")
        }
        let midiURLs: [URL?] = songs.indices.map { i in
            midi.map { m -> URL in
                let u = URL(fileURLWithPath: m)
                return songs.count == 1 ? u : u.deletingLastPathComponent().appendingPathComponent(
                    "\(u.deletingPathExtension().lastPathComponent)-\(String(format: "%03d", i + 1)).mid")
            }
        }
        do {
            for t in targets { _ = try audio.audioFormat(for: t) }
            // Every file this run may write, the MIDI and stems too, is checked up front.
            let outputs = targets + midiURLs.compactMap { $0 } + (audio.stems ? targets.flatMap(AudioOptions.stemURLs) : [])
            if !force, let existing = outputs.first(where: { FileManager.default.fileExists(atPath: $0.path) }) {
                throw CLIError("\(existing.path): already exists; pass --force to overwrite")
            }
            let soundfont = try audio.locateSoundfont()
            for dir in Set(outputs.map { $0.deletingLastPathComponent().path }) { Interrupts.cleanOnInterrupt(URL(fileURLWithPath: dir)) }
            let progress = ProgressBar(total: songs.count, label: "render")
            for (i, (s, t)) in zip(songs, targets).enumerated() {
                try audio.render(s, seed: seed, to: t, soundfont: soundfont, midi: midiURLs[i])
                progress.advance()
            }
            progress.finish()
        } catch {
            printError("render: \(error)")
            throw ExitCode.failure
        }
    }
}
