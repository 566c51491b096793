import Foundation
import LofiVAE

/// A training run of Lofi2Lofi on sample folders. After each epoch it writes, atomically,
/// the model (whitened latent space), the optimizer state beside it (`.train-state.safetensors`,
/// for resuming) and the training curves (`.svg`). An interrupted run keeps its last
/// finished epoch; resuming gives the same weights as an uninterrupted run.
public final class TrainingRun: @unchecked Sendable {
    public let output: URL
    public let config: TrainingConfig
    public let trainer: Trainer
    public let samples: SampleSet
    /// The epoch a resumed run continues after; nil for a fresh run.
    public let resumedAfter: Int?

    public var stateURL: URL { URL(fileURLWithPath: output.deletingPathExtension().path + ".train-state.safetensors") }
    public var curveURL: URL { URL(fileURLWithPath: output.deletingPathExtension().path + ".svg") }

    /// Loads the samples, splits them 85/15 by song, and sets the trainer up (from the saved
    /// state when `resume`). Without `resume` or `force`, an existing model is not replaced.
    public init(data: [URL], output: URL, config: TrainingConfig, resume: Bool = false, force: Bool = false,
                cancellation: Cancellation? = nil) throws(StudioError) {
        self.output = output
        self.config = config
        let all: [TrainingSample]
        do { all = try SampleSet.load(data) } catch { throw StudioError("\(error)") }
        guard !all.isEmpty else { throw StudioError(data.map(\.relativePath).joined(separator: ", "), "no samples (*.json) found") }
        let set = SampleSet(all, seed: config.seed)
        guard !set.train.isEmpty, !set.validation.isEmpty else {
            throw StudioError("\(all.count) samples from too few songs to split 85/15")
        }
        samples = set
        trainer = Trainer(config: config, data: set)
        let state = URL(fileURLWithPath: output.deletingPathExtension().path + ".train-state.safetensors")
        if resume {
            guard let bytes = try? [UInt8](Data(contentsOf: state)) else { throw StudioError(state.path, "nothing to resume (no saved state)") }
            do { try trainer.restore(bytes) } catch { throw StudioError(state.path, "\(error)") }
            resumedAfter = trainer.completedEpochs
        } else {
            if !force && FileManager.default.fileExists(atPath: output.path) {
                throw StudioError(output.relativePath, "already exists; pass --resume to continue it or --force to start over")
            }
            resumedAfter = nil
        }
        try AtomicFile.createFolder(output.deletingLastPathComponent())
        cancellation?.writes(into: output.deletingLastPathComponent())
    }

    /// Trains until `config.epochs` are done. `progress` hears (done, all) within an epoch,
    /// `epoch` each finished epoch (before its files are written).
    public func run(progress: (Int, Int) -> Void = { _, _ in }, epoch: (EpochRecord) -> Void = { _ in },
                    cancellation: Cancellation? = nil) throws {
        while trainer.completedEpochs < config.epochs {
            try cancellation?.check()
            let r = trainer.runEpoch(progress: progress)
            epoch(r)
            guard r.trainLoss.isFinite, r.validationLoss.isFinite, trainer.params.allFinite else {
                throw StudioError("epoch \(r.epoch) produced a non-finite loss or weight (the training diverged); the files of epoch \(r.epoch - 1) are kept; try a lower --learning-rate")
            }
            let state: [UInt8]
            do { state = try trainer.stateBytes() } catch { throw StudioError(stateURL.path, "\(error)") }
            try AtomicFile.write(state, to: stateURL)
            try AtomicFile.write(trainer.modelBytes(), to: output)
            try AtomicFile.write(Array(TrainingCurve.svg(trainer.history, title: "Lofi2Lofi training (\(output.lastPathComponent))").utf8), to: curveURL)
        }
    }
}
