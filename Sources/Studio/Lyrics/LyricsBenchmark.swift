import Foundation
import LofiVAE
import Lyrics

/// The text-to-song step for BENCHMARKS.md: reading the text (syllables, stress), its mood,
/// the latent search and the guided decode, timed `runs` times after a warm-up (which
/// loads the patterns and the lexicon); the median and the best.
public enum LyricsBenchmark {
    public struct Figure: Sendable {
        public var medianMilliseconds: Double
        public var bestMilliseconds: Double
        public var lines: Int
        public var syllables: Int
    }

    public static func measure(_ text: String, model: LofiModel, runs: Int = 21) throws -> Figure {
        var maker = LyricsSong()
        _ = try maker.make(try parse(text), model: model)
        var times: [Double] = []
        var parsed = try parse(text)
        for i in 0..<runs {
            maker.seed = UInt64(i)
            let t0 = Date()
            parsed = try parse(text)
            _ = try maker.make(parsed, model: model)
            times.append(Date().timeIntervalSince(t0) * 1000)
        }
        times.sort()
        return Figure(medianMilliseconds: times[times.count / 2], bestMilliseconds: times[0],
                      lines: parsed.lines.count, syllables: parsed.syllableCount)
    }

    static func parse(_ text: String) throws(StudioError) -> LyricText {
        do { return try LyricText.parse(text) } catch { throw StudioError(error.message) }
    }
}
