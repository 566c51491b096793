import ArgumentParser
import Foundation
import Studio

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

    @Option(parsing: .unconditional, help: "Arrangement seed: the same song and seed give a byte-identical file.")
    var seed: UInt64 = 0

    @Flag(help: "Overwrite existing output files.")
    var force = false

    @Flag(help: "Keep existing output files and count them as skipped.")
    var skipExisting = false

    func validate() throws {
        if force && skipExisting { throw ValidationError("--force and --skip-existing exclude each other") }
    }

    func run() throws {
        let files = try fail("midi") { try SongFiles(inputs) }
        let batch: MidiBatch
        do { batch = try MidiBatch(inputs: files, inputPaths: inputs, output: output, seed: seed, force: force, skipExisting: skipExisting) } catch {
            printError("midi: \(error)")
            throw ExitCode.validationFailure
        }
        let progress = ProgressBar(total: files.items.count, label: "midi")
        let outcomes = try fail("midi") { try batch.run(progress: progress.callback, cancellation: Interrupts.token) }
        progress.finish()

        var written = 0, skipped = 0, failed = 0
        for o in outcomes {
            switch o {
            case .written: written += 1
            case .skipped: skipped += 1
            case .failed(let line): failed += 1; printError("midi: \(line)")
            }
        }
        if files.isBatch && (failed > 0 || isatty(2) == 1) {
            var s = "midi: \(written) written"
            if skipped > 0 { s += ", \(skipped) skipped (existing)" }
            if failed > 0 { s += ", \(failed) failed" }
            printError(s + " of \(files.items.count) songs")
        }
        if failed > 0 { throw ExitCode.failure }
    }
}
