import ArgumentParser
import Foundation
import Studio

/// Measurements for BENCHMARKS.md; hidden from the main help.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure decoding speed (for BENCHMARKS.md).",
        shouldDisplay: false)

    @OptionGroup var model: ModelOption

    @Option(parsing: .unconditionalSingleValue, help: "Batch sizes to measure.")
    var batch: [Int] = [1, 256]

    @Option(parsing: .unconditional, help: "Songs decoded per batch size.")
    var songs: Int = 1024

    @Option(parsing: .unconditional, help: "Seed of the latent vectors.")
    var seed: UInt64 = 1

    @Option(help: "Also time the lyrics step (text → song) on this text file.")
    var lyrics: String?

    func run() throws {
        print(BLASEnvironment.summary)
        print(VectorLevel.summary)
        let t0 = Date()
        let loaded = try model.load(command: "bench")
        let loadMs = Date().timeIntervalSince(t0) * 1000
        print(String(format: "model load (%@): %.1f ms", URL(fileURLWithPath: loaded.path).lastPathComponent, loadMs))
        for f in DecodeBenchmark.measure(loaded, batches: batch, songs: songs, seed: seed) {
            print(String(format: "batch %4d: %.3f ms per song (%d songs, %.1f chords per song, best of 3)",
                         f.batch, f.millisecondsPerSong, songs, f.chordsPerSong))
        }
        if let lyrics {
            let text = try fail("bench") { try LyricText.read(path: lyrics, language: "en") }
            let f = try fail("bench") { try LyricsBenchmark.measure(text.lines.map(\.text).joined(separator: "\n"), model: loaded) }
            print(String(format: "lyrics (%d lines, %d syllables → song): median %.2f ms, best %.2f ms (21 runs)",
                         f.lines, f.syllables, f.medianMilliseconds, f.bestMilliseconds))
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print("peak memory (max RSS): \(usage.ru_maxrss / 1024) MB")
    }
}
