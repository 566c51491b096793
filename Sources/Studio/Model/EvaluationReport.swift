import Foundation
import LofiVAE

/// A model measured as `evaluate` prints it: prior metrics (with the melody decoding asked
/// for, and by argmax), and the reconstruction of held-out samples when the model has an encoder.
public struct EvaluationReport: Sendable {
    /// Which samples are reconstructed: the validation split of `splitSeed`, or all.
    public enum Split: String, Sendable, CaseIterable { case validation, all }

    public var data: [URL]
    public var split: Split
    public var splitSeed: UInt64
    /// Prior samples and their seed.
    public var samples: Int
    public var seed: UInt64

    public init(data: [URL] = [], split: Split = .validation, splitSeed: UInt64 = 0, samples: Int = 1000, seed: UInt64 = 1) {
        self.data = data; self.split = split; self.splitSeed = splitSeed; self.samples = samples; self.seed = seed
    }

    /// The model has an encoder but no samples were given to reconstruct.
    public struct NeedsData: Error, CustomStringConvertible {
        public var description: String { "give --data for the reconstruction metrics" }
    }

    /// The report as one pretty-printed JSON object (sorted keys), with a final newline.
    public func json(for model: LofiModel) throws -> Data {
        var result: [String: Any] = ["model": model.path]
        result["prior"] = try Self.jsonObject(PriorMetrics.measure(ModelEvaluation.priorSongs(model, count: samples, seed: seed)))
        if model.melody != nil {
            var argmax = model
            argmax.melody = nil
            result["prior_argmax"] = try Self.jsonObject(PriorMetrics.measure(ModelEvaluation.priorSongs(argmax, count: samples, seed: seed)))
        }
        let dict: StateDict
        do { dict = try ModelFile.load(model.path) } catch { throw StudioError(model.path, "\(error)") }
        if dict["encoder.mean_linear.weight"] != nil {
            guard !data.isEmpty else { throw NeedsData() }
            do {
                let all = try SampleSet.load(data)
                let chosen = split == .all ? all : SampleSet(all, seed: splitSeed).validation
                guard !chosen.isEmpty else { throw StudioError("no samples to reconstruct") }
                result["reconstruction"] = try Self.jsonObject(ModelEvaluation.reconstruction(dict, samples: chosen.map(\.song)))
                result["split"] = split.rawValue
            } catch let e as StudioError {
                throw e
            } catch {
                throw StudioError("\(error)")
            }
        } else {
            result["reconstruction"] = NSNull()
            result["note"] = "decoder-only checkpoint: prior metrics only"
        }
        return try JSONSerialization.data(withJSONObject: result, options: [.prettyPrinted, .sortedKeys]) + Data("\n".utf8)
    }

    static func jsonObject<T: Encodable>(_ value: T) throws -> Any {
        let enc = JSONEncoder()
        enc.keyEncodingStrategy = .convertToSnakeCase
        return try JSONSerialization.jsonObject(with: enc.encode(value))
    }
}
