import ArgumentParser
import Foundation
import Studio

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Measure a model: reconstruction of held-out songs and songs sampled from the prior.",
        discussion: """
            Prints one JSON object. "reconstruction": the --data samples (by default only the \
            validation split that `train --seed` held out) encoded to z = μ and decoded free-running: \
            chord and melody accuracy, key and mode accuracy, tempo/energy/valence mean absolute \
            error. "prior": --samples songs from z ~ N(0, I) (seeded): share of valid songs, chords \
            per song, distinct melody pitches per song, share of repeated slots, share of strong-beat \
            melody notes that are chord tones, with the melody decoding asked for (the sampling \
            defaults of `sample`); "prior_argmax": the same latents decoded by argmax, as the \
            reference does. A decoder-only checkpoint (the original .pth) gets the prior metrics only.
            """)

    @Option(help: "Folder of samples (repeatable).")
    var data: [String] = []

    @OptionGroup var model: ModelOption

    @Option(help: "Which samples to reconstruct: validation (the split of --split-seed) or all.")
    var split: String = "validation"

    @Option(parsing: .unconditional, help: "Seed of the train/validation split (the training run's --seed).")
    var splitSeed: UInt64 = 0

    @Option(parsing: .unconditional, help: "Prior samples.")
    var samples = 1000

    @Option(parsing: .unconditional, help: "Seed of the prior samples.")
    var seed: UInt64 = 1

    func validate() throws {
        guard ["validation", "all"].contains(split) else { throw ValidationError("--split must be validation or all") }
        guard (1...1_000_000).contains(samples) else { throw ValidationError("--samples must be in 1...1000000") }
    }

    func run() throws {
        let loaded = try model.load(command: "evaluate")
        let report = EvaluationReport(data: data.map { URL(fileURLWithPath: $0) }, split: split == "all" ? .all : .validation,
                                      splitSeed: splitSeed, samples: samples, seed: seed)
        let json: Data
        do { json = try report.json(for: loaded) } catch let e as EvaluationReport.NeedsData {
            printError("evaluate: \(e)")
            throw ExitCode.validationFailure
        } catch {
            printError("evaluate: \(error)")
            throw ExitCode.failure
        }
        FileHandle.standardOutput.write(json)
    }
}
