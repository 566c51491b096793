import Foundation
import Theory

/// What makes a radio station: its seed and the constraints its songs satisfy. The same
/// tuning plays the same songs in the same order, for every listener and every run.
public struct StationTuning: Sendable, Hashable {
    public var seed: UInt64
    public var constraints: SongConstraints

    public init(seed: UInt64 = 0, constraints: SongConstraints = SongConstraints()) {
        self.seed = seed
        self.constraints = constraints
    }

    /// The parameters a station takes, as in `?seed=7&mode=minor&bpm=70-80`.
    public static let parameters = ["seed", "mode", "key", "bpm", "energy", "valence"]

    /// From query parameters. An unknown name is refused (a typo would otherwise tune
    /// another station silently), except names starting with `_` (cache busters).
    public init(parameters pairs: [(name: String, value: String)]) throws(StudioError) {
        var values: [String: String] = [:]
        for (name, value) in pairs {
            if name.hasPrefix("_") { continue }
            guard Self.parameters.contains(name) else {
                throw StudioError(name, "unknown station parameter; use \(Self.parameters.joined(separator: ", "))")
            }
            guard values[name] == nil else { throw StudioError(name, "given twice") }
            values[name] = value
        }
        var seed: UInt64 = 0
        if let s = values["seed"] {
            guard let v = UInt64(s) else { throw StudioError("seed \(s)", "expected a whole number 0…\(UInt64.max)") }
            seed = v
        }
        self.init(seed: seed, constraints: try .parse(mode: values["mode"], key: values["key"], bpm: values["bpm"],
                                                      energy: values["energy"], valence: values["valence"]))
    }

    /// The station's canonical name, its parameters in a fixed order and spelling
    /// ("seed=7&mode=6&bpm=70-80"): two spellings of one tuning are one station.
    public var name: String {
        var parts = ["seed=\(seed)"]
        let c = constraints
        if let m = c.mode { parts.append("mode=\(m)") }
        if let k = c.key { parts.append("key=\(k)") }
        func number(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e9 ? String(Int(x)) : "\(x)" }
        func range(_ r: ClosedRange<Double>?, _ n: String) { if let r { parts.append("\(n)=\(number(r.lowerBound))-\(number(r.upperBound))") } }
        range(c.bpm, "bpm")
        range(c.energy, "energy")
        range(c.valence, "valence")
        return parts.joined(separator: "&")
    }
}

