import LofiVAE
import Theory

/// A station's songs, one after another for ever: the prior samples (seed, 0), (seed, 1), …
/// that are valid songs and satisfy the tuning's constraints, in order, each titled readably
/// and unlike the last 50 titles.
public struct StationProgram: Sendable {
    public let tuning: StationTuning
    /// Latents tried before a constraint is called unsatisfiable.
    public static let maxTries = 20_000
    private var cursor = 0
    private var waiting: [Song] = []
    private var recent: [String] = []
    /// Songs handed out so far.
    public private(set) var count = 0

    public init(tuning: StationTuning) { self.tuning = tuning }

    /// The next song and the seed its arrangement takes.
    public mutating func next(model: LofiModel) throws(StudioError) -> (song: Song, seed: UInt64) {
        let sampler = LatentSampler(seed: tuning.seed)
        var tried = 0
        while waiting.isEmpty {
            guard tried < Self.maxTries else {
                throw StudioError("station \(tuning.name)", "no song among \(Self.maxTries) samples satisfies it; widen the ranges")
            }
            let n = 32
            let songs = try model.studioSongs(for: (cursor..<(cursor + n)).map { sampler.latent(index: $0) })
            waiting = songs.filter { tuning.constraints.violation($0) == nil }
            cursor += n
            tried += n
        }
        var song = waiting.removeFirst()
        var taken = Set(recent)
        TrackTitle.retitle(&song, seed: tuning.seed, taken: &taken)
        recent.append(song.title ?? "")
        if recent.count > 50 { recent.removeFirst() }
        defer { count += 1 }
        return (song, tuning.seed &+ UInt64(count))
    }
}
