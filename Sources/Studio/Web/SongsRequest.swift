import Foundation
import LofiVAE
import Theory

/// `POST /api/songs`: songs from a seed (and constraints), or from latents.
///
///     {"seed": 7, "count": 3, "mode": "minor", "bpm": "70-80"}
///     {"latents": [[100 numbers], ...]}
public struct SongsRequest: Sendable, Equatable {
    public var seed: UInt64 = 0
    public var count = 1
    public var constraints = SongConstraints()
    public var latents: [[Float]]?

    /// Songs one request may ask for.
    public static let maxCount = 100

    public init() {}

    public init(json data: Data) throws(StudioError) {
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data) } catch {
            throw StudioError("body", "malformed JSON: " + Song.describeParseError(error, in: data))
        }
        guard let object = root as? [String: Any] else { throw StudioError("body", "expected a JSON object") }
        let known = ["seed", "count", "latents"] + ["mode", "key", "bpm", "energy", "valence"]
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw StudioError(unknown, "unknown field; use \(known.joined(separator: ", "))")
        }
        if let s = object["seed"] { seed = try Self.seed(s) }
        if let c = object["count"] {
            guard let n = Song.jsonNumber(c), n == n.rounded(), (1...Double(Self.maxCount)).contains(n) else {
                throw StudioError("count", "expected a whole number 1…\(Self.maxCount)")
            }
            count = Int(n)
        }
        func text(_ name: String) throws(StudioError) -> String? {
            guard let v = object[name] else { return nil }
            if let s = v as? String { return s }
            if let n = v as? NSNumber, name == "mode" || name == "key" { return n.stringValue }
            throw StudioError(name, "expected a string such as \(name == "mode" ? "\"minor\"" : name == "key" ? "\"Db\"" : "\"0.2-0.6\"")")
        }
        constraints = try .parse(mode: text("mode"), key: text("key"), bpm: text("bpm"), energy: text("energy"), valence: text("valence"))
        if let l = object["latents"] {
            guard let list = l as? [Any], !list.isEmpty, list.count <= Self.maxCount else {
                throw StudioError("latents", "expected an array of 1…\(Self.maxCount) latent vectors")
            }
            guard object["count"] == nil, object["seed"] == nil, constraints.isEmpty else {
                throw StudioError("latents", "give latents, or a seed with count and constraints, not both")
            }
            var vectors: [[Float]] = []
            for (i, v) in list.enumerated() { vectors.append(try LatentFile.vector(v, "latents[\(i)]")) }
            latents = vectors
        }
    }

    /// A seed given in JSON: a whole number 0…2⁶⁴−1 (not a boolean, not a fraction).
    public static func seed(_ value: Any) throws(StudioError) -> UInt64 {
        guard let d = Song.jsonNumber(value), d >= 0, d == d.rounded(), d < 18_446_744_073_709_551_616, let n = value as? NSNumber else {
            throw StudioError("seed", "expected a whole number 0…\(UInt64.max)")
        }
        return n.uint64Value
    }

    /// The songs asked for, titled as `sample` titles them.
    public func songs(model: LofiModel) throws(StudioError) -> [Song] {
        if let latents { return try DecodedLatents.songs(latents, model: model) }
        let source: any SongSource = constraints.isEmpty ? PriorSample() : ConstrainedSample(constraints: constraints, maxTries: 20_000)
        var plan = try source.plan(count: count, seed: seed, model: model)
        guard plan.entries.count == count else {
            throw StudioError("constraints", "only \(plan.entries.count) of \(plan.tried) samples satisfy them; widen the ranges")
        }
        if !constraints.isEmpty { TrackTitle.assign(to: &plan, seed: seed) }
        return plan.songs
    }
}
