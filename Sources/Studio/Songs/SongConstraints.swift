import Foundation
import Theory

/// What a playlist's songs must satisfy; nil fields are free.
public struct SongConstraints: Sendable, Hashable, Codable {
    public var mode: Int?
    public var key: Int?
    public var bpm: ClosedRange<Double>?
    public var energy: ClosedRange<Double>?
    public var valence: ClosedRange<Double>?
    public var minChords: Int?
    public var maxChords: Int?

    public init(mode: Int? = nil, key: Int? = nil, bpm: ClosedRange<Double>? = nil, energy: ClosedRange<Double>? = nil,
                valence: ClosedRange<Double>? = nil, minChords: Int? = nil, maxChords: Int? = nil) {
        self.mode = mode; self.key = key; self.bpm = bpm; self.energy = energy; self.valence = valence
        self.minChords = minChords; self.maxChords = maxChords
    }

    public var isEmpty: Bool { self == SongConstraints() }

    /// The first constraint a song breaks, by name; nil when it satisfies all.
    public func violation(_ song: Song) -> String? {
        if !song.problems().isEmpty || song.progression.isEmpty { return "invalid song" }
        if let mode, song.mode != mode { return "mode" }
        if let key, song.key != key { return "key" }
        if let bpm, !bpm.contains(song.bpm) { return "bpm" }
        if let energy, !energy.contains(song.energy) { return "energy" }
        if let valence, !valence.contains(song.valence) { return "valence" }
        if let minChords, song.progression.count < minChords { return "min-chords" }
        if let maxChords, song.progression.count > maxChords { return "max-chords" }
        return nil
    }
}

/// Spherical interpolation between latent vectors (Shoemake): the path keeps the norm a
/// Gaussian latent expects, where a straight line would pass through low-norm, atypical z.
public enum LatentPath {
    public static func slerp(_ a: [Float], _ b: [Float], _ t: Double) -> [Float] {
        let na = a.map { Double($0) }, nb = b.map { Double($0) }
        let la = na.reduce(0) { $0 + $1 * $1 }.squareRoot(), lb = nb.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard la > 0, lb > 0 else { return zip(na, nb).map { Float($0 + ($1 - $0) * t) } }
        let cosine = max(-1, min(1, zip(na, nb).reduce(0) { $0 + $1.0 * $1.1 } / (la * lb)))
        let omega = acos(cosine)
        if omega < 1e-6 { return zip(na, nb).map { Float($0 + ($1 - $0) * t) } }
        let s = sin(omega)
        let wa = sin((1 - t) * omega) / s, wb = sin(t * omega) / s
        return zip(na, nb).map { Float(wa * $0 + wb * $1) }
    }
}
