import Foundation
import Testing
@testable import Render

@Suite struct LoudnessTests {
    @Test func aSineAtMinus23IsMeasuredAtMinus23() {
        // EBU Tech 3341, case 1: stereo 1 kHz at −23 dBFS reads −23.0 LUFS.
        let m = LoudnessMeter.measure(Signals.sine(frequency: 1000, amplitudeDB: -23, seconds: 20))
        #expect(abs(m.integrated - -23) < 0.1)
        #expect(abs(m.truePeakDB - -23) < 0.1)
    }

    @Test func normalisingTheSineToMinus14() {
        var b = Signals.sine(frequency: 1000, amplitudeDB: -23, seconds: 20)
        let m = LoudnessNormalizer(targetLUFS: -14, ceilingDBTP: -1).process(&b)
        let again = LoudnessMeter.measure(b)
        #expect(abs(again.integrated - -14) <= 0.1, "\(again.integrated)")
        #expect(abs(m.integrated - again.integrated) < 0.01)
        // A steady sine at −14 LUFS peaks near −14 dBFS: nothing to limit, so the level is exact.
        #expect(abs(Signals.db(Double(b.samplePeak)) - -14) < 0.15)
    }

    /// Music-like: a sustained 440 Hz body at −10.5 dBFS with 2 ms transients at fs/4 every
    /// half second whose samples fall at ±0.707 of the waveform's crest, so their true peak
    /// is 3 dB above their sample peak (about +3.8 dBTP against +0.8 dBFS).
    static func interSamplePeaks() -> StereoBuffer {
        let sr = 44100.0, n = Int(10 * sr)
        var l = [Float](repeating: 0, count: n)
        for i in 0..<n { l[i] = Float(0.3 * sin(2 * Double.pi * 440 * Double(i) / sr)) }
        for burst in stride(from: Int(0.25 * sr), to: n - 4410, by: Int(0.5 * sr)) {
            for k in 0..<88 { l[burst + k] += Float(1.26 * sin(Double.pi / 2 * Double(k) + Double.pi / 4)) }
        }
        return StereoBuffer(left: l, right: l, sampleRate: sr)
    }

    @Test func limiterHoldsTheTruePeakAndKeepsTheLoudness() {
        var b = Self.interSamplePeaks()
        let before = LoudnessMeter.measure(b)
        #expect(before.truePeakDB > 1.0, "the test signal must have inter-sample overs: \(before.truePeakDB)")
        #expect(Signals.db(Double(b.samplePeak)) < before.truePeakDB - 2)
        TruePeakLimiter(ceilingDB: -1).process(&b)
        let after = LoudnessMeter.measure(b)
        #expect(after.truePeakDB <= -1.0 + 0.05, "\(after.truePeakDB)")
        // Alone, the limiter dips the body for its 80 ms release around each 5 dB over: some
        // loudness goes; the normaliser below wins it back at the target.
        #expect(abs(after.integrated - before.integrated) < 1.5, "\(before.integrated) → \(after.integrated)")
        // Between the transients, beyond look-ahead and release, the body is back to unity.
        let quiet = Int(0.7 * 44100)
        #expect(abs(b.left[quiet] / Self.interSamplePeaks().left[quiet] - 1) < 0.01)
    }

    @Test func normaliserReachesTargetUnderTheCeilingWithOvers() {
        var b = Self.interSamplePeaks()
        LoudnessNormalizer(targetLUFS: -14, ceilingDBTP: -1).process(&b)
        let m = LoudnessMeter.measure(b)
        #expect(abs(m.integrated - -14) <= 0.1, "\(m.integrated)")
        #expect(m.truePeakDB <= -1.0, "\(m.truePeakDB)")
    }

    @Test func splitMeasurementEqualsOneMeter() {
        // Long enough to be measured as two pooled halves; compare with one meter.
        var b = Signals.sine(frequency: 300, amplitudeDB: -20, seconds: 30)
        for i in 0..<(b.frames / 3) { b.left[i] *= 0.1; b.right[i] *= 0.1 }
        let pooled = LoudnessMeter.integrated(b)
        let single = LoudnessMeter.integrated(b, range: 0..<b.frames)
        #expect(abs(pooled - single) < 0.005, "\(pooled) vs \(single)")
    }
}
