import LofiVAE

/// Songs sampled from the prior: song i is the sampler's latent (seed, i), z ~ N(0, T²·I),
/// titled readably (`TrackTitle`) unless `readableTitles` is off (the model's hash titles).
public struct PriorSample: SongSource {
    public var temperature: Double
    public var readableTitles: Bool

    public init(temperature: Double = 1, readableTitles: Bool = true) {
        self.temperature = temperature
        self.readableTitles = readableTitles
    }

    public func plan(count: Int, seed: UInt64, model: LofiModel) throws(StudioError) -> SongPlan {
        let songs = try model.studioSongs(for: LatentSampler(seed: seed, temperature: temperature).latents(count: count))
        var plan = SongPlan(entries: songs.enumerated().map { i, s in
            .init(index: i, song: s, latentSeed: seed, latentIndex: i, morphPosition: nil, seed: seed &+ UInt64(i))
        })
        if readableTitles { TrackTitle.assign(to: &plan, seed: seed) }
        return plan
    }
}
