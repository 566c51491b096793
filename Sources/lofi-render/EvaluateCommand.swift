import ArgumentParser
import Foundation
import LofiVAE

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

    @Option(help: "Seed of the train/validation split (the training run's --seed).")
    var splitSeed: UInt64 = 0

    @Option(help: "Prior samples.")
    var samples = 1000

    @Option(help: "Seed of the prior samples.")
    var seed: UInt64 = 1

    func validate() throws {
        guard ["validation", "all"].contains(split) else { throw ValidationError("--split must be validation or all") }
        guard (1...1_000_000).contains(samples) else { throw ValidationError("--samples must be in 1...1000000") }
    }

    func run() throws {
        let loaded = try model.load(command: "evaluate")
        var result: [String: Any] = ["model": loaded.path]
        let prior = PriorMetrics.measure(ModelEvaluation.priorSongs(loaded, count: samples, seed: seed))
        result["prior"] = try jsonObject(prior)
        if loaded.melody != nil {
            var argmax = loaded
            argmax.melody = nil
            result["prior_argmax"] = try jsonObject(PriorMetrics.measure(ModelEvaluation.priorSongs(argmax, count: samples, seed: seed)))
        }
        let dict: StateDict
        do { dict = try ModelFile.load(loaded.path) } catch {
            printError("evaluate: \(loaded.path): \(error)")
            throw ExitCode.failure
        }
        if dict["encoder.mean_linear.weight"] != nil {
            guard !data.isEmpty else {
                printError("evaluate: give --data for the reconstruction metrics")
                throw ExitCode.validationFailure
            }
            do {
                let all = try SampleSet.load(data.map { URL(fileURLWithPath: $0) })
                let chosen = split == "all" ? all : SampleSet(all, seed: splitSeed).validation
                guard !chosen.isEmpty else { throw SkipError("no samples to reconstruct") }
                result["reconstruction"] = try jsonObject(ModelEvaluation.reconstruction(dict, samples: chosen.map(\.song)))
                result["split"] = split
            } catch {
                printError("evaluate: \(error)")
                throw ExitCode.failure
            }
        } else {
            result["reconstruction"] = NSNull()
            result["note"] = "decoder-only checkpoint: prior metrics only"
        }
        let out = try JSONSerialization.data(withJSONObject: result, options: [.prettyPrinted, .sortedKeys])
        FileHandle.standardOutput.write(out)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }

    func jsonObject<T: Encodable>(_ value: T) throws -> Any {
        let enc = JSONEncoder()
        enc.keyEncodingStrategy = .convertToSnakeCase
        return try JSONSerialization.jsonObject(with: enc.encode(value))
    }
}
