import ArgumentParser
import Foundation
import LofiVAE

/// Measurements for BENCHMARKS.md; hidden from the main help.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure decoding speed (for BENCHMARKS.md).",
        shouldDisplay: false)

    @OptionGroup var model: ModelOption

    @Option(help: "Batch sizes to measure.")
    var batch: [Int] = [1, 256]

    @Option(help: "Songs decoded per batch size.")
    var songs: Int = 1024

    @Option(help: "Seed of the latent vectors.")
    var seed: UInt64 = 1

    func run() throws {
        let t0 = Date()
        let loaded = try model.load(command: "bench")
        let loadMs = Date().timeIntervalSince(t0) * 1000
        print(String(format: "model load (%@): %.1f ms", URL(fileURLWithPath: loaded.path).lastPathComponent, loadMs))
        let latents = LatentSampler(seed: seed).latents(count: songs)
        for b in batch {
            _ = loaded.songs(for: Array(latents.prefix(min(b, songs))), batchSize: b)  // warm up
            var best = Double.infinity
            var chords = 0
            for _ in 0..<3 {
                let start = Date()
                let out = loaded.songs(for: latents, batchSize: b)
                best = min(best, Date().timeIntervalSince(start))
                chords = out.reduce(0) { $0 + $1.chords.count }
            }
            print(String(format: "batch %4d: %.3f ms per song (%d songs, %.1f chords per song, best of 3)",
                         b, best * 1000 / Double(songs), songs, Double(chords) / Double(songs)))
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print("peak memory (max RSS): \(usage.ru_maxrss / 1024) MB")
    }
}
