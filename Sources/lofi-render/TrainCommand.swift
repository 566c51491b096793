import ArgumentParser
import Foundation
import Studio

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train Lofi2Lofi on song samples.",
        discussion: """
            Reads every *.json sample below the --data folders (as written by `dataset build`), \
            splits them 85/15 by source song, and trains the VAE with AdamW. After each epoch it \
            writes, atomically, MODEL (the model, safetensors), MODEL's .train-state.safetensors \
            (optimizer state for --resume) and MODEL's .svg (training curves). An interrupted run \
            keeps the last finished epoch; --resume continues it and gives the same weights as an \
            uninterrupted run of the same length. The model file's latent space is whitened to the \
            training songs' aggregate posterior, so that z ~ N(0, I) samples songs like the data's.

            The defaults are the bundled model's recipe (MODEL.md, trained on eight POP909 cuts): \
            free-running, melody weight 4, KL weight 0.1, token dropout 0.5, batch 32, 70 epochs \
            with the learning rate falling from 1e-3 to 5e-5. --melody-weight 1 --kl-weight 1 \
            --token-dropout 0 --forget-bias 0 --batch-size 128 --final-learning-rate 1e-3 give the \
            reference objective's weights (with the end token trained).
            """)

    @Option(help: "Folder of samples (repeatable).")
    var data: [String]

    @Option(name: .shortAndLong, help: "Output model (.safetensors).")
    var output: String

    @Option(parsing: .unconditional, help: "Epochs in all (with --resume: the total to reach).")
    var epochs = 70

    @Option(parsing: .unconditional, help: "Seed of initialisation, split, batching and sampling.")
    var seed: UInt64 = 0

    @Option(parsing: .unconditional, help: "Batch size.")
    var batchSize = 32

    @Option(parsing: .unconditional, help: "Learning rate.")
    var learningRate = 1e-3

    @Option(parsing: .unconditional, help: "Decoupled weight decay of AdamW (not on biases).")
    var weightDecay = 0.1

    @Option(parsing: .unconditional, help: "Learning rate reached at the last epoch along a half cosine (at most --learning-rate; equal to it for a constant rate).")
    var finalLearningRate = 5e-5

    @Option(parsing: .unconditional, help: "Initial forget-gate bias of every LSTM (0 is PyTorch's initialisation).")
    var forgetBias = 1.0

    @Option(parsing: .unconditional, help: "Epochs over which the KL weight rises from 0 to --kl-weight.")
    var klWarmup = 10

    @Option(parsing: .unconditional, help: "Share of the epochs over which teacher forcing falls from 1 to 0 (0: free-running throughout).")
    var teacherForcing = 0.0

    @Option(parsing: .unconditional, help: "Probability that a melody step gets no previous-note input (word dropout).")
    var tokenDropout = 0.5

    @Option(parsing: .unconditional, help: "Weight of the melody cross-entropy against the chord cross-entropy and the KL term.")
    var melodyWeight = 4.0

    @Option(parsing: .unconditional, help: "Weight of the KL term (after warm-up).")
    var klWeight = 0.1

    @Option(parsing: .unconditional, help: "Data-parallel replicas (default: the core count). The weights depend on it, so it is recorded and --resume must use the same.")
    var replicas: Int?

    @Option(parsing: .unconditional, help: "Hidden size (100 for Lofi2Lofi; smaller only for experiments).")
    var hidden = 100

    @Flag(help: "Continue the run saved next to the output.")
    var resume = false

    @Flag(help: "Start over even if the output exists.")
    var force = false

    func validate() throws {
        guard !data.isEmpty else { throw ValidationError("give at least one --data folder") }
        guard (1...100_000).contains(epochs) else { throw ValidationError("--epochs must be in 1...100000") }
        guard (1...4096).contains(batchSize) else { throw ValidationError("--batch-size must be in 1...4096") }
        guard learningRate > 0, learningRate < 1 else { throw ValidationError("--learning-rate must be in (0, 1)") }
        guard finalLearningRate > 0, finalLearningRate < 1 else { throw ValidationError("--final-learning-rate must be in (0, 1)") }
        guard (0...1).contains(weightDecay) else { throw ValidationError("--weight-decay must be in 0...1") }
        guard (0...5).contains(forgetBias) else { throw ValidationError("--forget-bias must be in 0...5") }
        if let replicas { guard (1...256).contains(replicas) else { throw ValidationError("--replicas must be in 1...256") } }
        guard (4...1024).contains(hidden) else { throw ValidationError("--hidden must be in 4...1024") }
        guard (0.0..<1.0).contains(tokenDropout) else { throw ValidationError("--token-dropout must be in 0..<1") }
        guard melodyWeight > 0, melodyWeight <= 100 else { throw ValidationError("--melody-weight must be in (0, 100]") }
        guard klWeight >= 0, klWeight <= 100 else { throw ValidationError("--kl-weight must be in 0...100") }
    }

    func run() throws {
        var config = TrainingConfig()
        config.epochs = epochs; config.seed = seed; config.batchSize = batchSize; config.learningRate = learningRate
        config.weightDecay = weightDecay
        config.klWarmupEpochs = klWarmup; config.teacherForcingShare = teacherForcing; config.hidden = hidden
        config.tokenDropout = tokenDropout; config.melodyWeight = melodyWeight; config.klWeight = klWeight; config.finalLearningRate = min(finalLearningRate, learningRate)
        config.forgetBias = forgetBias == 0 ? nil : forgetBias
        if let replicas { config.workers = replicas }
        let run = try fail("train") {
            try TrainingRun(data: data.map { URL(fileURLWithPath: $0) }, output: URL(fileURLWithPath: output), config: config,
                            resume: resume, force: force, cancellation: Interrupts.token)
        }
        defer { fflush(nil) }
        if let after = run.resumedAfter { print("resuming after epoch \(after)") }
        print("samples: \(run.samples.train.count) train, \(run.samples.validation.count) validation (split by song); parameters: \(run.trainer.params.count)")
        var bar = ProgressBar(total: 1_000, label: "epoch \(run.trainer.completedEpochs + 1)")
        var shown = 0
        try fail("train") {
            try run.run(progress: { done, all in
                let target = done * 1_000 / all
                while shown < target { bar.advance(); shown += 1 }
            }, epoch: { r in
                bar.finish()
                print(String(format: "epoch %3d/%d  train loss %.3f  chord %.3f  melody %.3f | validation loss %.3f  chord %.3f  melody %.3f (free-running) | KL %.3f  tf %.2f  %.1f s  %.0f samples/s",
                             r.epoch, epochs, r.trainLoss, r.trainChordAccuracy, r.trainMelodyAccuracy, r.validationLoss,
                             r.validationChordAccuracy, r.validationMelodyAccuracy, r.kl, r.teacherForcing, r.seconds, r.samplesPerSecond))
                fflush(nil)  // epoch lines reach a log file as they happen
                bar = ProgressBar(total: 1_000, label: "epoch \(r.epoch + 1)")
                shown = 0
            }, cancellation: Interrupts.token)
        }
    }
}
