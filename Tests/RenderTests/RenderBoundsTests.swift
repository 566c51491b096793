import Foundation
import Testing
import Theory
@testable import Render

/// Values inside the validated ranges that used to trap or exhaust memory (review defects 5, 16).
@Suite struct RenderBoundsTests {
    @Test func aTinyCrackleRateMakesNoClicksInsteadOfTrapping() {
        // At 1e-20 clicks a second the first gap is ~1e24 samples, beyond Int's range.
        var rng = SplitMix64(seed: 1)
        var impulses: [(index: Int, value: Float)] = []
        SurfaceNoise.scatter(into: &impulses, rng: &rng, rate: 1e-20, frames: 44_100 * 100, sampleRate: 44_100) { _ in 1 }
        #expect(impulses.isEmpty)
        // At an ordinary rate the same call scatters about rate × seconds clicks, all in range.
        SurfaceNoise.scatter(into: &impulses, rng: &rng, rate: 9, frames: 44_100 * 100, sampleRate: 44_100) { _ in 1 }
        #expect((700...1100).contains(impulses.count) && impulses.allSatisfy { (0..<(44_100 * 100)).contains($0.index) })
        // And the whole noise stage runs at a tiny amount.
        var buffer = StereoBuffer(frames: 44_100, sampleRate: 44_100)
        SurfaceNoise(amount: 1e-20, seed: 3).process(&buffer)
        #expect(buffer.left.allSatisfy { abs($0) < 1e-15 })
    }

    @Test func aSongLongerThanTheRenderLimitIsRefusedBeforeSynthesis() throws {
        // 512 chords at 20 bpm: valid by the song rules, 1 h 42 min when arranged.
        let song = Song(key: 1, mode: 1, bpm: 20, energy: 0.5, valence: 0.5,
                        chords: [Int](repeating: 1, count: 512), melodies: [[Int]](repeating: [1, 2, 3, 4, 5, 6, 7, 8], count: 512))
        #expect(song.problems().isEmpty)
        let score = Arranger().arrange(song, seed: 0)
        #expect(score.duration > 6000)
        let renderer = SongRenderer(soundfont: "/nonexistent.sf2")
        do {
            _ = try renderer.synthesize(score)
            Issue.record("rendered a 1 h 42 min song")
        } catch let e as RenderTooLong {
            #expect(e.description.hasPrefix("the arrangement lasts 1:4"))
            #expect(e.description.contains("longer than the 30:00 a render may last"))
        }
    }
}
