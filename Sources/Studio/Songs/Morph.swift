import Foundation
import LofiVAE
import Theory

/// Songs along the spherical path from one latent to another.
public struct Morph: SongSource {
    public var from: [Float]
    public var to: [Float]

    public init(from: [Float], to: [Float]) {
        self.from = from
        self.to = to
    }

    public func plan(count: Int, seed: UInt64, model: LofiModel) throws(StudioError) -> SongPlan {
        let ts = (0..<count).map { count == 1 ? 0 : Double($0) / Double(count - 1) }
        let songs = try model.studioSongs(for: ts.map { LatentPath.slerp(from, to, $0) })
        return SongPlan(entries: songs.enumerated().map { i, s in
            .init(index: i, song: s, latentSeed: nil, latentIndex: nil, morphPosition: ts[i], seed: seed &+ UInt64(i))
        })
    }

    /// A morph endpoint: a seed (its first sampled latent), a latent file (100 numbers), or a
    /// song JSON file (encoded to z = μ by the model's encoder).
    public static func endpoint(_ text: String, model: LofiModel) throws(StudioError) -> [Float] {
        if let seed = UInt64(text) { return LatentSampler(seed: seed).latent(index: 0) }
        let url = URL(fileURLWithPath: text)
        guard let data = try? Data(contentsOf: url) else { throw StudioError(text, "not a seed and not a readable file") }
        if let (vectors, single) = try? LatentFile.parse(data), single { return vectors[0] }
        let song: Song
        do { song = try Song.decode(data) } catch { throw StudioError(text, "neither a latent (100 numbers) nor a song: \(error)") }
        do { return try model.encode([song])[0] } catch { throw StudioError(text, "\(error)") }
    }
}
