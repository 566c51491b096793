import ArgumentParser
import Foundation
import Theory

struct MidiCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "midi",
        abstract: "Arrange songs and write them as Standard MIDI Files.",
        discussion: """
            INPUT is a song JSON file, a file holding an array of songs, a folder of *.json files \
            (searched recursively), or - for standard input. One song in → OUT is the .mid file \
            (default: the input's name with .mid). Several songs → OUT is a folder, created if \
            needed; array elements are numbered (list-001.mid …) and a folder's layout is kept.

            Existing files are never overwritten unless you pass --force; with --skip-existing \
            they are kept and counted as skipped. A bad song is reported (file and reason) and \
            skipped, the rest are still written, and the exit status is 1.
            """)

    @Argument(help: "Song JSON files, folders of them, or - for stdin.")
    var inputs: [String]

    @Option(name: .shortAndLong, help: "Output .mid file (one song) or folder (several).")
    var output: String?

    @Option(help: "Arrangement seed: the same song and seed give a byte-identical file.")
    var seed: UInt64 = 0

    @Flag(help: "Overwrite existing output files.")
    var force = false

    @Flag(help: "Keep existing output files and count them as skipped.")
    var skipExisting = false

    func validate() throws {
        if force && skipExisting { throw ValidationError("--force and --skip-existing exclude each other") }
    }

    func run() throws {
        let inputs: SongInputs
        do { inputs = try SongInputs(self.inputs) } catch { printError("midi: \(error)"); throw ExitCode.failure }
        let outURL: URL
        if let output {
            outURL = URL(fileURLWithPath: output)
        } else if !inputs.isBatch, let only = self.inputs.first, only != "-" {
            outURL = URL(fileURLWithPath: only).deletingPathExtension().appendingPathExtension("mid")
        } else {
            printError("midi: -o/--output is required for stdin, folders and several songs")
            throw ExitCode.validationFailure
        }

        var targets: [URL] = []
        var isDir: ObjCBool = false
        let outIsDir = FileManager.default.fileExists(atPath: outURL.path, isDirectory: &isDir) && isDir.boolValue
        if inputs.isBatch || outIsDir || (output?.hasSuffix("/") ?? false) {
            do { try FileManager.default.createDirectory(at: outURL, withIntermediateDirectories: true) } catch {
                printError("midi: \(outURL.path): cannot create folder: \(AtomicFile.reason(error))")
                throw ExitCode.failure
            }
            targets = inputs.items.map { outURL.appendingPathComponent($0.name + ".mid") }
            // Subfolders mirrored from a folder input, created once up front.
            for dir in Set(targets.map { $0.deletingLastPathComponent().path }) where dir != outURL.path {
                try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            }
        } else {
            targets = [outURL]
        }

        // Two inputs that map to one file (a/x.json and b/x.json, or an array's x-001 next to
        // a file x-001.json) would overwrite each other: neither is written, both are named.
        var claimants: [String: [String]] = [:]
        for (item, target) in zip(inputs.items, targets) { claimants[target.standardizedFileURL.path, default: []].append(item.source) }
        let collisions = claimants.filter { $0.value.count > 1 }
        for dir in Set(targets.map { $0.deletingLastPathComponent().path }) { Interrupts.cleanOnInterrupt(URL(fileURLWithPath: dir)) }
        let progress = ProgressBar(total: inputs.items.count, label: "midi")
        let seed = self.seed, force = self.force, skipExisting = self.skipExisting
        let pairs = Array(zip(inputs.items, targets))
        let outcomes = concurrentMap(pairs.count) { k -> Outcome in
            let (item, target) = pairs[k]
            defer { progress.advance() }
            if let sources = collisions[target.standardizedFileURL.path] {
                return .failed("\(item.source): its output \(target.path) is also the output of \(sources.filter { $0 != item.source }.joined(separator: ", ")); none of them is written (convert them separately or rename one)")
            }
            switch item.song {
            case .failure(let e):
                return .failed("\(item.source): \(e)")
            case .success(let song):
                if !force && access(target.path, F_OK) == 0 {
                    if skipExisting { return .skipped }
                    return .failed("\(target.path): already exists; pass --force to overwrite or --skip-existing to keep it")
                }
                do {
                    let bytes = try Arranger().arrange(song, seed: seed).midiData
                    try AtomicFile.write(bytes, to: target)
                    return .written
                } catch {
                    return .failed("\(error)")
                }
            }
        }
        progress.finish()

        var written = 0, skipped = 0, failed = 0
        for o in outcomes {
            switch o {
            case .written: written += 1
            case .skipped: skipped += 1
            case .failed(let line): failed += 1; printError("midi: \(line)")
            }
        }
        if inputs.isBatch && (failed > 0 || isatty(2) == 1) {
            var s = "midi: \(written) written"
            if skipped > 0 { s += ", \(skipped) skipped (existing)" }
            if failed > 0 { s += ", \(failed) failed" }
            printError(s + " of \(inputs.items.count) songs")
        }
        if failed > 0 { throw ExitCode.failure }
    }

    enum Outcome {
        case written, skipped
        case failed(String)
    }
}
