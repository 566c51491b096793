import Foundation
import LofiVAE
import Theory

/// The tracks of a playlist, decided before anything is rendered (decoding is cheap), so
/// that every shard and every re-run agrees on them.
struct PlaylistPlan {
    struct Entry {
        var index: Int
        var song: Song
        var latentSeed: UInt64?
        var latentIndex: Int?
        var morphPosition: Double?
        var seed: UInt64
    }

    var entries: [Entry]
    /// With constraints: how many candidates were tried and why the others were refused.
    var tried = 0
    var refusals: [String: Int] = [:]

    /// N songs from seeds derived from `seed`: song i is the sampler's latent (seed, i).
    static func sampled(count: Int, seed: UInt64, model: LofiModel) throws -> PlaylistPlan {
        let songs = try model.checkedSongs(for: LatentSampler(seed: seed).latents(count: count))
        return PlaylistPlan(entries: songs.enumerated().map { i, s in
            Entry(index: i, song: s, latentSeed: seed, latentIndex: i, morphPosition: nil, seed: seed &+ UInt64(i))
        })
    }

    /// Candidates (seed, 0), (seed, 1), … decoded in batches and kept while they satisfy the
    /// constraints, until `count` are kept or `maxTries` were tried.
    static func constrained(count: Int, seed: UInt64, model: LofiModel, constraints: SongConstraints, maxTries: Int) throws -> PlaylistPlan {
        var plan = PlaylistPlan(entries: [])
        let sampler = LatentSampler(seed: seed)
        var k = 0
        while plan.entries.count < count && k < maxTries {
            // Batches grow with what is still missing, so an easy constraint decodes few songs.
            let n = min(1024, maxTries - k, max(64, 8 * (count - plan.entries.count)))
            let songs = try model.checkedSongs(for: (k..<(k + n)).map { sampler.latent(index: $0) })
            for (offset, s) in songs.enumerated() where plan.entries.count < count {
                plan.tried += 1
                if let reason = constraints.violation(s) {
                    plan.refusals[reason, default: 0] += 1
                } else {
                    let i = plan.entries.count
                    plan.entries.append(Entry(index: i, song: s, latentSeed: seed, latentIndex: k + offset, morphPosition: nil, seed: seed &+ UInt64(i)))
                }
            }
            k += n
        }
        return plan
    }

    /// N songs along the spherical path from `a` to `b`.
    static func morph(count: Int, seed: UInt64, from a: [Float], to b: [Float], model: LofiModel) throws -> PlaylistPlan {
        let ts = (0..<count).map { count == 1 ? 0 : Double($0) / Double(count - 1) }
        let songs = try model.checkedSongs(for: ts.map { LatentPath.slerp(a, b, $0) })
        return PlaylistPlan(entries: songs.enumerated().map { i, s in
            Entry(index: i, song: s, latentSeed: nil, latentIndex: nil, morphPosition: ts[i], seed: seed &+ UInt64(i))
        })
    }

    /// A morph endpoint: a seed (its first sampled latent), a latent file (100 numbers), or a
    /// song JSON file (encoded to z = μ by the model's encoder).
    static func endpoint(_ text: String, model: LofiModel) throws -> [Float] {
        if let seed = UInt64(text) { return LatentSampler(seed: seed).latent(index: 0) }
        let url = URL(fileURLWithPath: text)
        guard let data = try? Data(contentsOf: url) else { throw CLIError("\(text): not a seed and not a readable file") }
        if let (vectors, single) = try? LatentFile.parse(data), single { return vectors[0] }
        let song: Song
        do { song = try Song.decode(data) } catch { throw CLIError("\(text): neither a latent (100 numbers) nor a song: \(error)") }
        do { return try model.encode([song])[0] } catch { throw CLIError("\(text): \(error)") }
    }
}
