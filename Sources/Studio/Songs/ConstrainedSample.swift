import LofiVAE

/// Prior samples that satisfy constraints: candidates (seed, 0), (seed, 1), … are decoded in
/// batches and kept while they match, until `count` are kept or `maxTries` were tried.
public struct ConstrainedSample: SongSource {
    public var constraints: SongConstraints
    public var maxTries: Int

    public init(constraints: SongConstraints, maxTries: Int = 100_000) {
        self.constraints = constraints
        self.maxTries = maxTries
    }

    public func plan(count: Int, seed: UInt64, model: LofiModel) throws(StudioError) -> SongPlan {
        var plan = SongPlan(entries: [])
        let sampler = LatentSampler(seed: seed)
        var k = 0
        while plan.entries.count < count && k < maxTries {
            // Batches grow with what is still missing, so an easy constraint decodes few songs.
            let n = min(1024, maxTries - k, max(64, 8 * (count - plan.entries.count)))
            let songs = try model.studioSongs(for: (k..<(k + n)).map { sampler.latent(index: $0) })
            for (offset, s) in songs.enumerated() where plan.entries.count < count {
                plan.tried += 1
                if let reason = constraints.violation(s) {
                    plan.refusals[reason, default: 0] += 1
                } else {
                    let i = plan.entries.count
                    plan.entries.append(.init(index: i, song: s, latentSeed: seed, latentIndex: k + offset, morphPosition: nil, seed: seed &+ UInt64(i)))
                }
            }
            k += n
        }
        return plan
    }
}
