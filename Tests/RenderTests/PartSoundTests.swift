import Foundation
import Testing
import Theory
@testable import Render

/// The part stage against its design figures: the sidechain envelope, the drum sampler's
/// levels and folding, the reconstruction low-pass against the Butterworth formula.
@Suite struct PartSoundTests {
    /// Magnitude of the DFT of `x` at `f` Hz (a single bin, Hann window).
    static func magnitude(_ x: [Float], _ f: Double, sampleRate: Double) -> Double {
        var re = 0.0, im = 0.0
        let n = x.count
        for i in 0..<n {
            let w = 0.5 - 0.5 * cos(2 * Double.pi * Double(i) / Double(n - 1))
            let ph = 2 * Double.pi * f * Double(i) / sampleRate
            re += Double(x[i]) * w * cos(ph)
            im -= Double(x[i]) * w * sin(ph)
        }
        return (re * re + im * im).squareRoot()
    }

    @Test func sidechainDipsByTheDesignedDepthAttackAndRelease() {
        let sr = 44100.0
        let duck = SidechainDuck(depth: 6, attack: 0.005, release: 0.16)
        let kicks = [4410, 44100]
        var env = SidechainDuck.Envelope(duck: duck, kicks: kicks, sampleRate: sr)
        var l = [Float](repeating: 0.5, count: 66150), r = l
        // In uneven blocks, as the synthesizer delivers them.
        var start = 0
        for size in [1000, 3333, 4096, 17, 50000, 20000] where start < l.count {
            let n = min(size, l.count - start)
            l.withUnsafeMutableBufferPointer { lp in r.withUnsafeMutableBufferPointer { rp in
                env.apply(lp.baseAddress! + start, rp.baseAddress! + start, count: n, start: start)
            } }
            start += n
        }
        #expect(start == l.count)
        func db(_ frame: Int) -> Double { 20 * log10(Double(l[frame]) / 0.5) }
        for k in kicks {
            #expect(abs(db(k - 1)) < 0.01, "no dip before the kick")
            #expect(abs(db(k + Int(0.0025 * sr)) - -3) <= 0.5, "half-way down the attack")
            #expect(abs(db(k + Int(0.005 * sr)) - -6) <= 0.5, "the designed depth after the attack")
            #expect(abs(db(k + Int(0.085 * sr)) - -3) <= 0.5, "half-way back up the release")
            #expect(abs(db(k + Int(0.166 * sr))) <= 0.05, "back to unity after the release")
        }
        #expect(l == r)
    }

    @Test func theSamplerHas4096LevelsAndFoldsAtItsRate() {
        let sr = 44100.0
        var q = DrumBus.Sampler(rate: 26_040, bits: 12, sampleRate: sr)
        var levels = Set<Float>()
        let n = 400_000
        for i in 0..<n { levels.insert(q.process(Float(-1 + 2 * Double(i) / Double(n - 1)))) }
        #expect(levels.count == 4096)
        // A 15 kHz tone (above 26.04/2 kHz) comes back at 26.04 − 15 = 11.04 kHz.
        var s = DrumBus.Sampler(rate: 26_040, bits: 12, sampleRate: sr)
        let tone = (0..<16384).map { s.process(Float(0.5 * sin(2 * Double.pi * 15_000 * Double($0) / sr))) }
        let folded = Self.magnitude(tone, 11_040, sampleRate: sr)
        for f in stride(from: 200.0, to: 13_000, by: 97) where abs(f - 11_040) > 300 {
            #expect(Self.magnitude(tone, f, sampleRate: sr) < folded / 4, "\(f) Hz louder than the fold")
        }
        #expect(folded > 10 * Self.magnitude(tone, 7_000, sampleRate: sr))
    }

    @Test func theReconstructionLowPassAttenuatesTheImagesByItsDesign() {
        let sr = 44100.0
        let bus = DrumBus(amount: 1)
        let stream = DrumBus.Stream(bus, sampleRate: sr)
        // The image of a 5 kHz drum partial sits at 26.04 − 5 = 21.04 kHz.
        for f in [21_040.0, 15_000, 5_000] {
            var lp = stream.filters
            let x = (0..<44100).map { Float(sin(2 * Double.pi * f * Double($0) / sr)) }
            let y = x.map { v -> Float in
                let once = Float(lp.0.process(SIMD2(repeating: Double(v))).x)
                return Float(lp.1.process(SIMD2(repeating: Double(once))).x)
            }
            let measured = 20 * log10(Self.magnitude(Array(y[4410...]), f, sampleRate: sr) / Self.magnitude(Array(x[4410...]), f, sampleRate: sr))
            // Two bilinear Butterworth sections: each 1/√(1 + (tan(πf/fs)/tan(πfc/fs))⁴).
            let ratio = tan(Double.pi * f / sr) / tan(Double.pi * bus.lowPass / sr)
            let designed = -2 * 10 * log10(1 + pow(ratio, 4))
            #expect(abs(measured - designed) <= 0.5, "\(f) Hz: \(measured) dB against \(designed) dB")
        }
    }
}
