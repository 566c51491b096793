import LofiVAE
import Theory

/// Songs decided before anything is rendered (decoding is cheap), with where each came from,
/// so that every shard and every re-run of a playlist agrees on them.
public struct SongPlan: Sendable {
    public struct Entry: Sendable {
        /// Position in the plan, from 0.
        public var index: Int
        public var song: Song
        /// The sampler's (seed, index) the latent came from, or the morph position.
        public var latentSeed: UInt64?
        public var latentIndex: Int?
        public var morphPosition: Double?
        /// Arrangement and effects seed: the plan's seed + index.
        public var seed: UInt64
    }

    public var entries: [Entry]
    /// With constraints: how many candidates were tried and why the others were refused.
    public var tried = 0
    public var refusals: [String: Int] = [:]

    public init(entries: [Entry], tried: Int = 0, refusals: [String: Int] = [:]) {
        self.entries = entries
        self.tried = tried
        self.refusals = refusals
    }

    public var songs: [Song] { entries.map(\.song) }
}

/// Where a playlist's (or a `sample`'s) songs come from.
public protocol SongSource: Sendable {
    /// Up to `count` songs; the arrangement seed of song i is `seed + i`.
    func plan(count: Int, seed: UInt64, model: LofiModel) throws(StudioError) -> SongPlan
}
