import Foundation
import Testing
@testable import Render

@Suite struct EffectTests {
    @Test func lowPassAttenuatesTwelveKilohertzByTheDesignedAmount() {
        let fs = 44100.0, fc = 6000.0
        var b = Signals.sine(frequency: 12000, amplitudeDB: -6, seconds: 1)
        let before = Signals.rms(b.left[4410...])
        Warmth(lowPassCutoff: fc, highPassCutoff: 1).process(&b)
        let measured = Signals.db(Signals.rms(b.left[4410...]) / before)
        // Second-order Butterworth through the bilinear transform: the analog response
        // 1/√(1 + Ω⁴) at the pre-warped frequency Ω = tan(πf/fs) / tan(πfc/fs).
        let omega = tan(Double.pi * 12000 / fs) / tan(Double.pi * fc / fs)
        let designed = -10 * log10(1 + pow(omega, 4))
        #expect(abs(measured - designed) < 0.1, "measured \(measured) dB, designed \(designed) dB")
        #expect(designed < -12)
    }

    @Test func theRumbleFilterCutsSubBassByTheDesignedAmount() {
        // The high-pass, second-order Butterworth by the bilinear transform: the analog
        // response 1/√(1 + Ω⁻⁴) at the pre-warped Ω = tan(πf/fs) / tan(πfc/fs). A 12 Hz rumble
        // under a 35 Hz corner; a second of settling, then two seconds measured.
        let fs = 44100.0, fc = 35.0, f = 12.0
        var b = Signals.sine(frequency: f, amplitudeDB: -6, seconds: 3)
        let before = Signals.rms(b.left[44100...])
        Warmth(lowPassCutoff: 20000, highPassCutoff: fc).process(&b)
        let measured = Signals.db(Signals.rms(b.left[44100...]) / before)
        let omega = tan(Double.pi * f / fs) / tan(Double.pi * fc / fs)
        let designed = -10 * log10(1 + pow(omega, -4))
        #expect(abs(measured - designed) < 0.1, "measured \(measured) dB, designed \(designed) dB")
        #expect(designed < -18)
    }

    @Test func warmthPassesTheMidrange() {
        var b = Signals.sine(frequency: 1000, amplitudeDB: -6, seconds: 1)
        let before = Signals.rms(b.left[4410...])
        Warmth(lowPassCutoff: 9000, highPassCutoff: 35).process(&b)
        #expect(abs(Signals.db(Signals.rms(b.left[4410...]) / before)) < 0.2)
    }

    @Test func crackleIsSilentAtZeroAndAudibleOtherwise() {
        var silent = StereoBuffer(frames: 44100, sampleRate: 44100)
        SurfaceNoise(kind: .vinyl, amount: 0, seed: 3).process(&silent)
        #expect(silent.left.allSatisfy { $0 == 0 } && silent.right.allSatisfy { $0 == 0 })
        var noisy = StereoBuffer(frames: 44100, sampleRate: 44100)
        SurfaceNoise(kind: .vinyl, amount: 1, seed: 3).process(&noisy)
        let level = Signals.db(Signals.rms(noisy.left[...]))
        #expect(level > -60 && level < -25, "surface noise at \(level) dBFS")
        // `--crackle DB` puts the bed DB under the music's integrated loudness, both by the
        // EBU meter: so the noise alone, taken back out of the mix, measures exactly that.
        for kind in [SurfaceNoise.Kind.vinyl, .rain] {
            let music = Signals.sine(frequency: 440, amplitudeDB: -20, seconds: 8)
            for levelDB in [-30.0, -12] {
                var mixed = music
                var bed = SurfaceNoise(kind: kind, amount: 1, seed: 5)
                bed.levelDB = levelDB
                bed.process(&mixed)
                let noise = StereoBuffer(left: zip(mixed.left, music.left).map { $0 - $1 }, right: zip(mixed.right, music.right).map { $0 - $1 },
                                         sampleRate: 44100)
                let relative = LoudnessMeter.integrated(noise) - LoudnessMeter.integrated(music)
                #expect(abs(relative - levelDB) < 0.05, "\(kind) asked \(levelDB) dB under the music, measured \(relative)")
            }
        }
        var again = StereoBuffer(frames: 44100, sampleRate: 44100)
        SurfaceNoise(kind: .vinyl, amount: 1, seed: 3).process(&again)
        #expect(again == noisy)
        #expect(noisy.left != noisy.right)
    }

    @Test func wowShiftsPitchByTheDesignedCents() {
        let fs = 44100.0
        var b = Signals.sine(frequency: 1000, amplitudeDB: -6, seconds: 4)
        TapeWobble(wowCents: 25, wowRate: 1, flutterCents: 0, flutterRate: 6, seed: 1).process(&b)
        // Frequency over 20 ms windows through one whole wow cycle.
        var lowest = Double.infinity, highest = 0.0
        let window = Int(0.02 * fs)
        for start in stride(from: Int(fs), to: Int(3 * fs) - window, by: window / 2) {
            let f = Signals.frequency(b.left, from: start, to: start + window, sampleRate: fs)
            lowest = min(lowest, f)
            highest = max(highest, f)
        }
        let down = 1200 * log2(1000 / lowest), up = 1200 * log2(highest / 1000)
        // Designed: the slowest pitch is 25 cents flat; the fastest is the mirror image
        // (1 + (1 − 2^(−25/1200)) ≈ 24.9 cents sharp). A 20 ms window averages a little.
        #expect(abs(down - 25) < 2.5, "flat by \(down) cents")
        #expect(abs(up - 25) < 2.5, "sharp by \(up) cents")
    }

    @Test func saturationIsTransparentForSmallSignalsAndBoundedForLarge() {
        var small = Signals.sine(frequency: 500, amplitudeDB: -40, seconds: 0.2)
        let original = small
        Saturation(drive: 2).process(&small)
        #expect(zip(small.left, original.left).allSatisfy { abs($0 - $1) < 1e-4 })
        var loud = Signals.sine(frequency: 500, amplitudeDB: 12, seconds: 0.2)
        Saturation(drive: 2).process(&loud)
        #expect(loud.samplePeak <= 0.5 + 1e-6)
    }

    @Test func vinylHumsAtSixtyHertzWithItsHarmonicsAndRainDoesNot() {
        // The design: hum = 0.0012·amount·(sin θ + ½ sin 2θ + ¼ sin 3θ), θ at 60 Hz, vinyl only.
        // Each component's amplitude by projection onto its frequency over whole cycles (4 s);
        // the hiss and clicks spread their energy over the band and add a few percent at most.
        func amplitude(_ x: [Float], _ f: Double) -> Double {
            var re = 0.0, im = 0.0
            for (n, v) in x.enumerated() {
                let phase = 2 * Double.pi * f * Double(n) / 44100
                re += Double(v) * cos(phase); im += Double(v) * sin(phase)
            }
            return 2 * (re * re + im * im).squareRoot() / Double(x.count)
        }
        var vinyl = StereoBuffer(frames: 4 * 44100, sampleRate: 44100)
        SurfaceNoise(kind: .vinyl, amount: 1, seed: 3).process(&vinyl)
        for (f, designed) in [(60.0, 0.0012), (120, 0.0006), (180, 0.0003)] {
            let a = amplitude(vinyl.left, f)
            #expect(abs(a - designed) < 0.1 * designed, "vinyl at \(f) Hz: \(a), designed \(designed)")
        }
        var rain = StereoBuffer(frames: 4 * 44100, sampleRate: 44100)
        SurfaceNoise(kind: .rain, amount: 1, seed: 3).process(&rain)
        let a = amplitude(rain.left, 60)
        #expect(a < 0.2 * 0.0012, "rain at 60 Hz: \(a)")
    }

    @Test func reverbAddsATailAfterAnImpulse() {
        var b = StereoBuffer(frames: 44100, sampleRate: 44100)
        b.left[0] = 1
        b.right[0] = 1
        Reverb(wet: 0.5, roomSize: 0.8, damping: 0.4).process(&b)
        // Worked by hand from the design (input ×0.015, four combs 1116/1277/1422/1557 samples
        // on the left and 23 more on the right, all-passes of 556 and 341 (+23) with gain ½,
        // wet 0.5): in the first 1,600 samples each comb's first echo passes both all-passes
        // unchanged (−(−x)), +0.0075; the second all-pass returns the first echo negated
        // 341 samples later, −0.0075; every other sample is silent.
        for (channel, arrivals, echo) in [(b.left, [1116, 1277, 1422, 1557], 1457), (b.right, [1139, 1300, 1445, 1580], 1503)] {
            for n in 1..<1600 {
                let want: Float = arrivals.contains(n) ? 0.0075 : n == echo ? -0.0075 : 0
                #expect(channel[n] == want, "sample \(n): \(channel[n]), designed \(want)")
            }
        }
        let early = Signals.rms(b.left[1116..<11025]), late = Signals.rms(b.left[33075..<44100])
        #expect(early > 1e-4 && late < early / 4, "early \(early), late \(late)")
    }

    @Test func fadesStartAndEndAtSilence() {
        var b = Signals.sine(frequency: 200, amplitudeDB: -6, seconds: 6)
        Fade(fadeIn: 1, fadeOut: 2).process(&b)
        #expect(b.left[0] == 0 && abs(b.left[b.frames - 1]) < 1e-6)
        #expect(Signals.rms(b.left[44100..<(3 * 44100)]) > 0.3)
    }
}
