import ArgumentParser
import Foundation
import Studio

struct DatasetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataset",
        abstract: "Build training samples from song datasets.",
        subcommands: [Build.self])

    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Turn Hooktheory sections or POP909 songs into song JSON samples.",
            discussion: """
                hooktheory: IN is a folder searched for *_roman.json TheoryTab sections, processed \
                exactly as the original Lofi project did. pop909: IN is the POP909 folder (NNN/NNN.mid \
                with beat, chord and key annotations); songs are cut into 4- to 16-measure phrases. \
                Each sample is written as OUTDIR/<source>-<song>-<n>.json with a "source" field naming \
                its song (the train/validation split keeps songs whole). A summary of files read, \
                samples written and everything skipped or mapped, with counts, ends the run.
                """)

        enum Source: String, ExpressibleByArgument, CaseIterable { case hooktheory, pop909 }

        @Option(help: "hooktheory or pop909.")
        var source: Source

        @Argument(help: "Input folder.")
        var input: String

        @Option(name: .shortAndLong, help: "Output folder (created).")
        var output: String

        @Option(parsing: .unconditional, help: "pop909: cut each song this many times with other phrase boundaries (more, overlapping training windows; 1 = one cut).")
        var cuts = 1

        @Flag(help: "Replace the samples (*.json) an earlier build left in the output folder.")
        var force = false

        func validate() throws {
            guard (1...16).contains(cuts) else { throw ValidationError("--cuts must be in 1...16") }
            guard cuts == 1 || source == .pop909 else { throw ValidationError("--cuts applies to --source pop909 only") }
        }

        func run() throws {
            let build = DatasetBuild(source: source == .pop909 ? .pop909 : .hooktheory, input: URL(fileURLWithPath: input),
                                     output: URL(fileURLWithPath: output), cuts: cuts, force: force)
            let units = try fail("dataset build") { try build.units() }
            let progress = ProgressBar(total: units.count, label: "dataset")
            let report = try fail("dataset build") { try build.run(progress: progress.callback, cancellation: Interrupts.token) }
            progress.finish()
            if let first = report.firstFailure { printError("dataset build: \(first)") }
            print("files read: \(report.unitsRead)")
            print("samples written: \(report.samplesWritten) to \(output)")
            for k in report.counts.keys.sorted() { print("  \(k): \(report.counts[k]!)") }
            if report.failures > 0 { throw ExitCode.failure }
        }
    }
}
