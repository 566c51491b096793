import Foundation
import Theory

/// Settings of a training run.
public struct TrainingConfig: Sendable, Codable, Equatable {
    public var epochs = 60
    public var batchSize = 128
    public var seed: UInt64 = 0
    public var learningRate = 1e-3
    /// If set, the learning rate falls from `learningRate` to this along a half cosine over
    /// the epochs (constant within an epoch); nil keeps it constant.
    public var finalLearningRate: Double? = nil
    public var weightDecay = 0.1
    /// Initial forget-gate bias of every LSTM (0: PyTorch's initialisation).
    public var forgetBias: Double? = nil
    /// KL weight rises linearly from 0 to `klWeight` over these epochs (annealing).
    public var klWarmupEpochs = 10
    public var klWeight = 1.0
    /// Teacher forcing falls linearly from `teacherForcingStart` to 0 over this share of the epochs.
    public var teacherForcingStart = 1.0
    public var teacherForcingShare = 0.5
    /// Melody token dropout (see `Objective.tokenDropout`).
    public var tokenDropout = 0.0
    /// Weight of the melody cross-entropy (see `Objective.melodyWeight`).
    public var melodyWeight = 1.0
    public var workers = ProcessInfo.processInfo.activeProcessorCount
    public var hidden = 100

    public init() {}

    /// The command-line name of each setting, for messages.
    static let optionNames = [
        "epochs": "--epochs", "batchSize": "--batch-size", "seed": "--seed", "learningRate": "--learning-rate",
        "finalLearningRate": "--final-learning-rate", "weightDecay": "--weight-decay", "forgetBias": "--forget-bias",
        "klWarmupEpochs": "--kl-warmup", "klWeight": "--kl-weight", "teacherForcingStart": "teacher forcing start",
        "teacherForcingShare": "--teacher-forcing", "tokenDropout": "--token-dropout", "melodyWeight": "--melody-weight",
        "workers": "--replicas", "hidden": "--hidden",
    ]

    /// Why a run saved with `saved` cannot be resumed with these settings, naming each
    /// setting that differs with both values; nil when it can. More epochs may be asked for
    /// only when nothing is scheduled over the total (a cosine learning rate or teacher
    /// forcing would be laid out anew, giving weights no uninterrupted run gives).
    public func resumeConflict(with saved: TrainingConfig) -> String? {
        func fields(_ c: TrainingConfig) -> [String: String] {
            let data = (try? JSONEncoder().encode(c)) ?? Data()
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            return object.mapValues { "\($0)" }
        }
        let mine = fields(self), theirs = fields(saved)
        let schedule = finalLearningRate.map { $0 != learningRate } ?? false || teacherForcingShare > 0
        var differences: [String] = []
        for key in Set(mine.keys).union(theirs.keys).sorted() where mine[key] != theirs[key] {
            if key == "epochs" && !schedule { continue }
            let name = Self.optionNames[key] ?? key
            differences.append("\(name) \(theirs[key] ?? "unset") then, \(mine[key] ?? "unset") now")
        }
        guard !differences.isEmpty else { return nil }
        var why = "the saved run used other settings: " + differences.joined(separator: "; ")
        if mine["workers"] != theirs["workers"] {
            why += " (--replicas defaults to the core count; pass --replicas \(saved.workers) to resume on this machine)"
        }
        if mine["epochs"] != theirs["epochs"] && schedule {
            why += " (the learning-rate schedule is laid out over --epochs; resume with --epochs \(saved.epochs))"
        }
        return why
    }

    func klWeight(epoch: Int) -> Double {
        klWarmupEpochs <= 0 ? klWeight : klWeight * min(1, Double(epoch) / Double(klWarmupEpochs))
    }

    func learningRate(epoch: Int) -> Double {
        guard let final = finalLearningRate, epochs > 1 else { return learningRate }
        let t = Double(epoch) / Double(epochs - 1)
        return final + (learningRate - final) * (1 + cos(Double.pi * min(1, t))) / 2
    }

    func teacherForcing(epoch: Int) -> Double {
        let end = Double(epochs) * teacherForcingShare
        return end <= 0 ? 0 : max(0, teacherForcingStart * (1 - Double(epoch) / end))
    }
}

/// One epoch's figures.
public struct EpochRecord: Sendable, Codable, Equatable {
    public var epoch: Int
    public var trainLoss: Double
    public var trainChordAccuracy: Double
    public var trainMelodyAccuracy: Double
    public var validationLoss: Double
    /// Free-running decoding from z = μ, as evaluation does.
    public var validationChordAccuracy: Double
    public var validationMelodyAccuracy: Double
    public var kl: Double
    public var teacherForcing: Double
    public var seconds: Double
    public var samplesPerSecond: Double
}

/// Trains Lofi2Lofi: length-bucketed batches split across data-parallel replicas (one per
/// core, each on single-threaded BLAS), gradients averaged in a fixed order, AdamW.
/// Every random choice of epoch e comes from (seed, e), so resuming after epoch e gives the
/// same weights as never stopping.
public final class Trainer {
    public let config: TrainingConfig
    public let data: SampleSet
    public let params: VAEParameters
    let replicas: [VAEParameters]
    let steps: [VAEStep]
    public private(set) var optimizer: AdamW
    public private(set) var history: [EpochRecord] = []

    public init(config: TrainingConfig, data: SampleSet) {
        self.config = config
        self.data = data
        let shape = VAEShape(hidden: config.hidden)
        params = VAEParameters(shape: shape, seed: config.seed, forgetBias: Float(config.forgetBias ?? 0))
        let workers = max(1, config.workers)
        replicas = (1..<workers).map { _ in VAEParameters(shape: shape, seed: config.seed, forgetBias: Float(config.forgetBias ?? 0)) }
        steps = ([params] + replicas).map { VAEStep($0) }
        optimizer = AdamW(learningRate: config.learningRate, weightDecay: config.weightDecay)
        BLAS.setThreads(1)
    }

    public var completedEpochs: Int { history.count }

    /// Runs one epoch (the next); `progress` gets (batches done, batches in all).
    @discardableResult
    public func runEpoch(progress: (Int, Int) -> Void = { _, _ in }) -> EpochRecord {
        let epoch = history.count
        let started = Date()
        var rng = SplitMix64(seed: config.seed ^ (UInt64(epoch + 1) &* 0xA24B_AED4_963E_E407))
        let batches = SampleSet.batches(data.train, size: config.batchSize, rng: &rng)
        optimizer.learningRate = config.learningRate(epoch: epoch)
        let objective = Objective(klWeight: config.klWeight(epoch: epoch), teacherForcing: config.teacherForcing(epoch: epoch), sample: true,
                                  tokenDropout: config.tokenDropout, melodyWeight: config.melodyWeight)
        var sum = StepMetrics(), samples = 0
        for (i, songs) in batches.enumerated() {
            let m = trainStep(songs, objective: objective, seed: rng.next())
            accumulate(&sum, m, weight: songs.count)
            samples += songs.count
            progress(i + 1, batches.count)
        }
        let seconds = Date().timeIntervalSince(started)
        let validation = evaluate(data.validation)
        let record = EpochRecord(
            epoch: epoch + 1, trainLoss: sum.loss / Double(max(samples, 1)),
            trainChordAccuracy: sum.chordAccuracy / Double(max(sum.chordCount, 1)),
            trainMelodyAccuracy: sum.melodyAccuracy / Double(max(sum.melodyCount, 1)),
            validationLoss: validation.loss, validationChordAccuracy: validation.chordAccuracy,
            validationMelodyAccuracy: validation.melodyAccuracy, kl: sum.kl / Double(max(samples, 1)),
            teacherForcing: objective.teacherForcing, seconds: seconds, samplesPerSecond: Double(samples) / seconds)
        history.append(record)
        return record
    }

    /// Sums metrics weighted by batch size (losses) and by position counts (accuracies).
    private func accumulate(_ sum: inout StepMetrics, _ m: StepMetrics, weight: Int) {
        sum.loss += m.loss * Double(weight)
        sum.kl += m.kl * Double(weight)
        sum.chordAccuracy += m.chordAccuracy * Double(m.chordCount)
        sum.melodyAccuracy += m.melodyAccuracy * Double(m.melodyCount)
        sum.chordCount += m.chordCount
        sum.melodyCount += m.melodyCount
    }

    /// Splits the batch across the replicas, averages their gradients into the master, steps.
    public func trainStep(_ songs: [Song], objective: Objective, seed: UInt64) -> StepMetrics {
        let parts = split(songs)
        for r in replicas { copyValues(from: params, to: r) }
        let results = runParts(parts, objective: objective, seed: seed, backward: true)
        // Average the gradients (a fixed order, so the result is the same every run).
        if parts.count > 1 {
            let scale = 1 / Float(parts.count)
            for (k, p) in params.all.enumerated() {
                for r in replicas.prefix(parts.count - 1) {
                    let q = r.all[k]
                    for i in 0..<p.count { p.g[i] += q.g[i] }
                }
                for i in 0..<p.count { p.g[i] *= scale }
            }
        }
        optimizer.step(params.all)
        return combine(results, parts)
    }

    /// Loss and accuracies (free-running, z = μ) over samples, without updating anything.
    public func evaluate(_ samples: [TrainingSample]) -> StepMetrics {
        var rng = SplitMix64(seed: 7)
        let batches = SampleSet.batches(samples, size: config.batchSize, rng: &rng)
        for r in replicas { copyValues(from: params, to: r) }
        var sum = StepMetrics(), count = 0
        for songs in batches {
            let parts = split(songs)
            let m = combine(runParts(parts, objective: Objective(klWeight: 1, teacherForcing: 0, sample: false), seed: 0, backward: false), parts)
            accumulate(&sum, m, weight: songs.count)
            count += songs.count
        }
        var out = sum
        out.loss = sum.loss / Double(max(count, 1))
        out.kl = sum.kl / Double(max(count, 1))
        out.chordAccuracy = sum.chordAccuracy / Double(max(sum.chordCount, 1))
        out.melodyAccuracy = sum.melodyAccuracy / Double(max(sum.melodyCount, 1))
        return out
    }

    private func split(_ songs: [Song]) -> [[Song]] {
        let n = min(steps.count, max(1, songs.count / 8))
        let per = (songs.count + n - 1) / n
        return (0..<n).map { Array(songs[min(songs.count, $0 * per)..<min(songs.count, ($0 + 1) * per)]) }.filter { !$0.isEmpty }
    }

    private func runParts(_ parts: [[Song]], objective: Objective, seed: UInt64, backward: Bool) -> [StepMetrics] {
        let steps = self.steps, all = [params] + replicas
        nonisolated(unsafe) let work = (steps, all)
        return concurrentMap(parts.count) { k in
            let (steps, all) = work
            let songs = parts[k]
            if backward { all[k].zeroGrad() }
            var rng = SplitMix64(seed: seed ^ (UInt64(k + 1) &* 0x9E37_79B9_7F4A_7C15))
            return steps[k].run(TrainingBatch(songs), objective: objective, rng: &rng, backward: backward)
        }
    }

    private func combine(_ results: [StepMetrics], _ parts: [[Song]]) -> StepMetrics {
        var sum = StepMetrics(), n = 0
        for (m, p) in zip(results, parts) {
            sum.loss += m.loss * Double(p.count); sum.kl += m.kl * Double(p.count)
            sum.chordLoss += m.chordLoss * Double(p.count); sum.melodyLoss += m.melodyLoss * Double(p.count)
            sum.chordAccuracy += m.chordAccuracy * Double(m.chordCount); sum.melodyAccuracy += m.melodyAccuracy * Double(m.melodyCount)
            sum.chordCount += m.chordCount; sum.melodyCount += m.melodyCount
            n += p.count
        }
        sum.loss /= Double(max(n, 1)); sum.kl /= Double(max(n, 1))
        sum.chordLoss /= Double(max(n, 1)); sum.melodyLoss /= Double(max(n, 1))
        sum.chordAccuracy /= Double(max(sum.chordCount, 1)); sum.melodyAccuracy /= Double(max(sum.melodyCount, 1))
        return sum
    }

    private func copyValues(from a: VAEParameters, to b: VAEParameters) {
        for (p, q) in zip(a.all, b.all) { q.p.update(from: p.p, count: p.count) }
    }

    // MARK: Checkpoints

    /// The trained model for inference: every parameter, as safetensors, with the latent space
    /// whitened to the training songs' aggregate posterior (`LatentWhitening`), so that prior
    /// samples z ~ N(0, I) fall where the data's songs lie. The training state keeps the
    /// unwhitened weights, so resuming is unaffected.
    public func modelBytes() -> [UInt8] {
        // Every second training window: 11,000 of them pin each variance down to about 1 %
        // (√(2/n)), at half the cost of an encoder pass over all of them each epoch.
        let whitening = LatentWhitening.fit(params, songs: stride(from: 0, to: data.train.count, by: 2).map { data.train[$0].song })
        return Safetensors.encode(whitening.folded(params.stateDict),
                                  metadata: ["format": "lofi-render", "model": "lofi2lofi", "epochs": String(history.count),
                                             "latent": "whitened to the training split's aggregate posterior"])
    }

    /// Everything needed to resume: parameters, Adam moments, step count, config, history.
    public func stateBytes() throws -> [UInt8] {
        var dict = params.stateDict
        for name in params.momentDict.names { dict[name] = params.momentDict[name] }
        let enc = JSONEncoder()
        enc.outputFormatting = .sortedKeys
        let meta = ["config": String(decoding: try enc.encode(config), as: UTF8.self),
                    "history": String(decoding: try enc.encode(history), as: UTF8.self),
                    "adam_steps": String(optimizer.steps)]
        return Safetensors.encode(dict, metadata: meta)
    }

    /// Restores a state written by `stateBytes`; the config must match in what shapes the run.
    public func restore(_ bytes: [UInt8]) throws {
        let (dict, meta) = try Safetensors.decode(bytes)
        try dict.checkFinite()
        guard let c = meta["config"], let h = meta["history"], let s = meta["adam_steps"], let steps = Int(s) else {
            throw SkipError("not a training state (metadata missing)")
        }
        let saved = try JSONDecoder().decode(TrainingConfig.self, from: Data(c.utf8))
        if let why = config.resumeConflict(with: saved) { throw SkipError(why) }
        try params.load(dict)
        try params.loadMoments(dict)
        history = try JSONDecoder().decode([EpochRecord].self, from: Data(h.utf8))
        optimizer = AdamW(learningRate: config.learningRate, weightDecay: config.weightDecay, steps: steps)
    }
}
