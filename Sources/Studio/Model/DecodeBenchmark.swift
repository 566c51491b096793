import Foundation
import LofiVAE

/// Decoding speed for BENCHMARKS.md: the best of three passes over `songs` latents per batch size.
public enum DecodeBenchmark {
    public struct Figure: Sendable {
        public var batch: Int
        public var millisecondsPerSong: Double
        public var chordsPerSong: Double
    }

    public static func measure(_ model: LofiModel, batches: [Int], songs: Int, seed: UInt64) -> [Figure] {
        let latents = LatentSampler(seed: seed).latents(count: songs)
        return batches.map { b in
            _ = model.songs(for: Array(latents.prefix(min(b, songs))), batchSize: b)  // warm up
            var best = Double.infinity
            var chords = 0
            for _ in 0..<3 {
                let start = Date()
                let out = model.songs(for: latents, batchSize: b)
                best = min(best, Date().timeIntervalSince(start))
                chords = out.reduce(0) { $0 + $1.chords.count }
            }
            return Figure(batch: b, millisecondsPerSong: best * 1000 / Double(songs), chordsPerSong: Double(chords) / Double(songs))
        }
    }
}
