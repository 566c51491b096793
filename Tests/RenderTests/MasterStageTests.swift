import Foundation
import Testing
import Theory
@testable import Render

/// The master stage's shortcuts against doing the work in full: gating blocks against the
/// meter's own figure, a scaled or partly re-measured block list against a new measurement,
/// the limiter's report against the samples it changed, the fused chain against its stages
/// run one after another.
@Suite struct MasterStageTests {
    /// Music-like and awkward for a meter: a loud middle, a stretch near the −70 LUFS gate
    /// (which a gain moves across), silence, and transients with inter-sample overs.
    static func programme() -> StereoBuffer {
        let sr = 44100.0, n = Int(30 * sr)
        var l = [Float](repeating: 0, count: n), r = l
        var rng = UInt64(12345)
        for i in 0..<n {
            rng = rng &* 6364136223846793005 &+ 1442695040888963407
            let noise = Float(Int64(bitPattern: rng) >> 11) / Float(1 << 52)
            let t = Double(i) / sr
            let level: Double = t < 6 ? 0.2 : t < 12 ? 0.000_25 : t < 14 ? 0 : 0.3
            l[i] = Float(level * sin(2 * Double.pi * 220 * t)) + Float(level) * 0.3 * noise
            r[i] = Float(level * sin(2 * Double.pi * 330 * t))
        }
        for burst in stride(from: Int(16 * sr), to: n - Int(3 * sr), by: Int(0.7 * sr)) {
            for k in 0..<88 { l[burst + k] += Float(0.9 * sin(Double.pi / 2 * Double(k) + Double.pi / 4)) }
        }
        return StereoBuffer(left: l, right: r, sampleRate: sr)
    }

    @Test func blocksGiveTheMetersIntegratedLoudness() {
        let b = Self.programme()
        let meter = LoudnessMeter.integrated(b, range: 0..<b.frames)
        // One meter's blocks, gated by our code, against libebur128's own gating.
        let single = GatingBlocks.measure(b, fromHop: 0, toFrame: b.frames)
        #expect(single.count == b.frames / 4410 - 3)
        let one = GatingBlocks(energies: single, hop: 4410).integrated
        #expect(abs(one - meter) < 1e-9, "\(one) against libebur128's \(meter)")
        // Two halves on two cores: the second meter's filter starts cold 300 ms before the split.
        let blocks = GatingBlocks(measuring: b)
        #expect(blocks.energies.count == single.count)
        #expect(abs(blocks.integrated - meter) < 1e-3, "\(blocks.integrated) against libebur128's \(meter)")
    }

    @Test func aGainMovesTheBlocksExactlyEvenAcrossTheGate() {
        // A 1 kHz tone at −75 LUFS, then at −66 LUFS: only the second half passes the −70 LUFS
        // absolute gate. 10 dB up, both pass, and the relative gate keeps both.
        let quiet = Signals.sine(frequency: 1000, amplitudeDB: -75, seconds: 8), loud = Signals.sine(frequency: 1000, amplitudeDB: -66, seconds: 8)
        var b = StereoBuffer(left: quiet.left + loud.left, right: quiet.right + loud.right, sampleRate: 44100)
        var blocks = GatingBlocks(measuring: b)
        let before = blocks.integrated
        #expect(abs(before - -66) < 0.2, "\(before)")
        blocks.scale(by: pow(10, 10.0 / 20))
        b.scale(by: Float(pow(10, 10.0 / 20)))
        let measured = LoudnessMeter.integrated(b, range: 0..<b.frames)
        #expect(abs(blocks.integrated - measured) < 1e-4, "\(blocks.integrated) against \(measured)")
        // The gate let the quiet half in, so the figure is not simply 10 dB up.
        #expect(blocks.integrated < before + 10 - 2, "\(blocks.integrated)")
    }

    @Test func theLimitersReportCoversEveryFrameItChangedAndRemeasuringMatches() {
        let original = Self.programme()
        var b = original
        var blocks = GatingBlocks(measuring: b)
        let report = TruePeakLimiter(ceilingDB: -3).process(&b)
        #expect(!report.changed.isEmpty)
        var inside = [Bool](repeating: false, count: b.frames)
        for r in report.changed { for i in r { inside[i] = true } }
        var changedOutside = 0, changedInside = 0
        for i in 0..<b.frames where b.left[i] != original.left[i] || b.right[i] != original.right[i] {
            if inside[i] { changedInside += 1 } else { changedOutside += 1 }
        }
        #expect(changedOutside == 0)
        #expect(changedInside > 0)
        // The release lands: after the last over the signal is the input again, bit for bit.
        let last = report.changed.last!.upperBound
        #expect(last < b.frames - 44100)
        let after = (last..<b.frames).filter { b.left[$0] != original.left[$0] || b.right[$0] != original.right[$0] }.count
        #expect(after == 0, "\(after) frames after the last limited stretch differ")
        blocks.remeasure(report.changed, in: b)
        let full = LoudnessMeter.integrated(b, range: 0..<b.frames)
        #expect(abs(blocks.integrated - full) < 1e-4, "\(blocks.integrated) against \(full)")
        let truePeak = LoudnessMeter.truePeak(b)
        #expect(abs(20 * log10(truePeak) - 20 * log10(report.truePeak)) < 0.1, "limiter \(report.truePeak), libebur128 \(truePeak)")
    }

    @Test func theNormaliserLandsOnTargetByTheMeterOfRecord() {
        var b = Self.programme()
        let m = LoudnessNormalizer(targetLUFS: -16, ceilingDBTP: -1).process(&b)
        let again = LoudnessMeter.measure(b)
        #expect(abs(again.integrated - -16) <= 0.05, "\(again.integrated)")
        #expect(abs(m.integrated - again.integrated) < 0.001)
        #expect(again.truePeakDB <= -1, "\(again.truePeakDB) dBTP")
    }

    /// The programme through `chain`'s stages one after another, in the chain's order.
    static func staged(_ chain: LofiChain) -> StereoBuffer {
        var b = programme()
        chain.warmth!.process(&b)
        chain.saturation!.process(&b)
        chain.wobble!.process(&b)
        chain.reverb!.process(&b)
        chain.noise!.process(&b)
        chain.tapeStop?.process(&b)
        chain.fade!.process(&b)
        return b
    }

    @Test func theFusedChainIsItsStagesOneAfterAnother() {
        let chain = LofiChain.preset(energy: 0.3, valence: 0.6, mode: .ionian, seed: 4)
        var fused = Self.programme()
        chain.process(&fused)
        let staged = Self.staged(chain)
        // Counted, not compared as arrays: a failing array comparison prints both songs.
        let differing = (0..<fused.frames).filter { fused.left[$0] != staged.left[$0] || fused.right[$0] != staged.right[$0] }.count
        #expect(differing == 0, "\(differing) frames differ")
    }

    /// The chain measuring its own output as it goes (the meter following it on another
    /// core, or after each piece on one): the audio is the stages' one after another, tape
    /// stop and fades included, and the blocks are one libebur128 meter's over the finished
    /// signal, exactly, on one core or two.
    @Test func theChainsMeterFollowsItToTheSameBlocksOnOneCoreOrTwo() {
        var chain = LofiChain.preset(energy: 0.3, valence: 0.6, mode: .ionian, seed: 4)
        chain.tapeStop = TapeStop(start: 27.5, duration: 1.5)
        let staged = Self.staged(chain)
        let whole = GatingBlocks.measure(staged, fromHop: 0, toFrame: staged.frames)
        let meter = LoudnessMeter.integrated(staged, range: 0..<staged.frames)
        for workers in [1, 2] {
            var followed = Self.programme()
            let measured = RenderWorkers.with(workers) { chain.process(&followed, measuring: true) }
            let differing = (0..<followed.frames).filter { followed.left[$0] != staged.left[$0] || followed.right[$0] != staged.right[$0] }.count
            #expect(differing == 0, "\(workers) worker(s): \(differing) frames differ")
            let blocks = try! #require(measured).blocks
            // A block per 100 ms hop from the fourth on (each covers 400 ms).
            #expect(blocks.energies.count == followed.frames / 4410 - 3, "\(workers) worker(s): \(blocks.energies.count) blocks")
            #expect(blocks.energies == whole, "\(workers) worker(s): the blocks differ from one meter over the finished signal")
            #expect(abs(blocks.integrated - meter) < 1e-9, "\(blocks.integrated) against libebur128's \(meter)")
        }
    }

    @Test func theDrumBusStreamIsTheSamplerTanhAndLowPassInTurn() {
        // The drums' part stage (the C kernel: the band's high-pass, then the bus) against
        // the bus's definition, step by step: the sampler, tanh, the two low-pass sections,
        // the blend; in blocks of uneven sizes, as the synthesizer hands them over.
        let sr = 44100.0
        let bus = DrumBus(amount: 0.7)
        let band = PartFilter(highPass: 30)
        var stream = PartStream(filters: band.stream(sampleRate: sr), envelope: nil, bus: DrumBus.Stream(bus, sampleRate: sr))
        var samplers = [DrumBus.Sampler(rate: bus.samplerRate, bits: bus.bits, sampleRate: sr), DrumBus.Sampler(rate: bus.samplerRate, bits: bus.bits, sampleRate: sr)]
        let lp = Biquad.lowPass(cutoff: bus.lowPass, sampleRate: sr)
        var filters = [[lp, lp], [lp, lp]]
        var highs = [band.stream(sampleRate: sr), band.stream(sampleRate: sr)]
        let drive = Float(bus.drive)
        var rng = SplitMix64(seed: 2)
        var start = 0, differing = 0
        while start < 30_000 {
            let n = rng.int(in: 1...4096)
            var l = [Float](repeating: 0, count: n), r = l
            for i in 0..<n {
                let t = Double(start + i) / sr
                l[i] = Float(1.3 * sin(2 * Double.pi * 97 * t) * exp(-t * 3))
                r[i] = Float(0.8 * sin(2 * Double.pi * 3100 * t))
            }
            var expected = [l, r]
            for c in 0..<2 {
                for i in 0..<n {
                    let x = highs[c][0].process(expected[c][i])
                    var v = samplers[c].process(x)
                    v = tanh(drive * v) / drive
                    v = filters[c][1].process(filters[c][0].process(v))
                    expected[c][i] = x + 0.7 * (v - x)
                    if i % Biquad.flushInterval == Biquad.flushInterval - 1 || i == n - 1 {
                        highs[c][0].flushDecayedState()
                        filters[c][0].flushDecayedState()
                        filters[c][1].flushDecayedState()
                    }
                }
            }
            stream.process(&l, &r, count: n, start: start)
            differing += (0..<n).filter { l[$0] != expected[0][$0] || r[$0] != expected[1][$0] }.count
            start += n
        }
        #expect(differing == 0, "\(differing) frames differ")
    }

    @Test func aPartsBandIsItsBiquadsOneAfterAnother() {
        // The C band kernel against the scalar sections, over blocks of uneven sizes (the
        // synthesizer cuts a block at every event) and through a silence where the state
        // decays towards the subnormals and is flushed.
        let sr = 44100.0
        let filter = PartFilter(highPass: 110, lowPass: 3200)
        for sections in [filter, PartFilter(highPass: 40)] {
            var stream = PartStream(filters: sections.stream(sampleRate: sr), envelope: nil, bus: nil)
            var scalar = [sections.stream(sampleRate: sr), sections.stream(sampleRate: sr)]
            var rng = SplitMix64(seed: 8)
            var start = 0, differing = 0
            while start < 200_000 {
                let n = rng.int(in: 1...4096)
                var l = (0..<n).map { i -> Float in
                    let t = Double(start + i) / sr
                    return t > 1.5 && t < 3.5 ? 0 : Float(0.5 * sin(2 * Double.pi * 180 * t) + 0.2 * (rng.unit() - 0.5))
                }
                var r = l.map { 0.7 * $0 }
                var expected = [l, r]
                for c in 0..<2 {
                    for i in 0..<n {
                        var v = expected[c][i]
                        for s in scalar[c].indices { v = scalar[c][s].process(v) }
                        expected[c][i] = v
                        if i % Biquad.flushInterval == Biquad.flushInterval - 1 || i == n - 1 {
                            for s in scalar[c].indices { scalar[c][s].flushDecayedState() }
                        }
                    }
                }
                stream.process(&l, &r, count: n, start: start)
                differing += (0..<n).filter { l[$0] != expected[0][$0] || r[$0] != expected[1][$0] }.count
                start += n
            }
            #expect(differing == 0, "\(differing) frames differ for \(sections)")
        }
    }
}

