import ArgumentParser
import Foundation
import LofiVAE
import Theory

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
        let data: Data
        do {
            data = latent == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: latent))
        } catch {
            printError("decode: \(latent): cannot read: \(AtomicFile.reason(error))")
            throw ExitCode.failure
        }
        let (vectors, single): ([[Float]], Bool)
        do { (vectors, single) = try LatentFile.parse(data) } catch {
            printError("decode: \(latent): \(error)")
            throw ExitCode.failure
        }
        let loaded = try model.load(command: "decode")
        let songs: [Song]
        do { songs = try loaded.checkedSongs(for: vectors) } catch {
            printError("decode: \(model.model ?? "bundled model"): \(error)")
            throw ExitCode.failure
        }
        let text = single ? songs[0].jsonString() + "\n" : Song.jsonArray(songs)
        if let output {
            Interrupts.cleanOnInterrupt(URL(fileURLWithPath: output).deletingLastPathComponent())
            do { try AtomicFile.write(Array(text.utf8), to: URL(fileURLWithPath: output)) } catch {
                printError("decode: \(error)")
                throw ExitCode.failure
            }
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}

/// Reads latent vectors: one array of 100 numbers, or an array of them.
enum LatentFile {
    static func parse(_ data: Data) throws -> (vectors: [[Float]], single: Bool) {
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data) } catch {
            throw CLIError("malformed JSON: " + Song.describeParseError(error, in: data))
        }
        guard let array = root as? [Any], !array.isEmpty else { throw CLIError("expected an array of 100 numbers or an array of such arrays") }
        if array.first is [Any] {
            var out: [[Float]] = []
            for (i, v) in array.enumerated() { out.append(try vector(v, "[\(i)]")) }
            return (out, false)
        }
        return ([try vector(array, "")], true)
    }

    static func vector(_ value: Any, _ path: String) throws -> [Float] {
        guard let list = value as? [Any] else { throw CLIError("\(path.isEmpty ? "latent" : path): expected an array of numbers") }
        guard list.count == LatentSampler.dimension else {
            throw CLIError("\(path.isEmpty ? "latent" : path): \(list.count) numbers; a latent vector has exactly 100")
        }
        return try list.enumerated().map { i, x in
            guard let f = Song.jsonNumber(x) else { throw CLIError("\(path)[\(i)]: expected a number") }
            guard f.isFinite, abs(f) < 1e6 else { throw CLIError("\(path)[\(i)]: \(f) is not a finite number of sensible size") }
            return Float(f)
        }
    }
}
