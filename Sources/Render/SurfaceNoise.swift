import Foundation
import Theory

/// Procedural record-surface noise added under the music: crackle (dense small clicks),
/// pops (rare loud ones), hiss and a little mains hum — or, for sad minor songs, rain
/// (filtered noise with soft droplets). Nothing is sampled from files; all is seeded.
/// Each channel has its own generator stream (seeded from `seed` and the channel), so the
/// channels are decorrelated and made in parallel; clicks arrive as a Poisson process
/// (exponential gaps) rather than by a coin toss per sample.
public struct SurfaceNoise: Sendable {
    public enum Kind: String, Sendable { case vinyl, rain }

    public var kind: Kind
    /// Overall level, 0 = silent; 1 is a clearly audible but background bed.
    public var amount: Float
    /// When set, the noise is scaled so that its integrated loudness sits this many dB
    /// relative to the music's (e.g. −30: "vinyl at −30 dB"), both measured by the EBU R 128
    /// meter; `amount` then shapes only its texture (click density).
    public var levelDB: Double?
    /// Crackle clicks per second per channel at amount 1.
    public var crackleDensity: Double
    public var seed: UInt64

    public init(kind: Kind = .vinyl, amount: Float = 0.5, crackleDensity: Double = 9, seed: UInt64 = 0) {
        self.kind = kind
        self.amount = amount
        self.crackleDensity = crackleDensity
        self.seed = seed
    }

    /// Poisson arrivals at `rate` per second, random polarity, sizes from `size`.
    static func scatter(into impulses: inout [(index: Int, value: Float)], rng: inout SplitMix64, rate: Double, frames n: Int,
                        sampleRate sr: Double, size: (inout SplitMix64) -> Float) {
        guard rate > 0 else { return }
        var t = 0.0
        while true {
            t += -log(1 - rng.unit()) / rate * sr
            // Compared as a double: at a tiny rate the first gap is beyond Int's range.
            guard t < Double(n) else { break }
            let i = Int(t)
            let sign: Float = rng.unit() < 0.5 ? -1 : 1
            impulses.append((i, sign * size(&rng)))
        }
    }

    /// Adds the noise to `buffer`.
    public func process(_ buffer: inout StereoBuffer) {
        guard amount > 0 else { return }
        let me = self
        let sr = buffer.sampleRate
        guard let levelDB else {
            buffer.forEachChannel { channel, p in me.add(to: p, channel: channel, sampleRate: sr) }
            return
        }
        // Relative to the music: made alone, both measured, then scaled into place.
        var noise = StereoBuffer(frames: buffer.frames, sampleRate: sr)
        noise.forEachChannel { channel, p in me.add(to: p, channel: channel, sampleRate: sr) }
        let music = LoudnessMeter.integrated(buffer), bed = LoudnessMeter.integrated(noise)
        guard music.isFinite, bed.isFinite else { return }  // silence: nothing to sit under
        noise.scale(by: Float(pow(10, (music + levelDB - bed) / 20)))
        buffer.add(noise)
    }

    func add(to p: UnsafeMutableBufferPointer<Float>, channel: Int, sampleRate sr: Double) {
        var voice = voice(channel: channel, frames: p.count, sampleRate: sr)
        for i in p.indices { p[i] += voice.next() }
    }

    /// One channel's generator, sample by sample (the fused chain draws from it).
    func voice(channel: Int, frames n: Int, sampleRate sr: Double) -> Voice {
        var rng = SplitMix64(seed: seed ^ 0x5EED_0F_7ABE ^ (UInt64(channel + 1) &* 0x9E37_79B9_7F4A_7C15))
        let rain = kind == .rain
        // Impulses: clicks (and, on vinyl, pops) at exponential gaps; sizes vary.
        var impulses: [(index: Int, value: Float)] = []
        let a = amount
        Self.scatter(into: &impulses, rng: &rng, rate: crackleDensity * Double(amount) * (rain ? 4 : 1), frames: n, sampleRate: sr) { r in
            Float(0.02 + 0.1 * r.unit() * r.unit()) * a * (rain ? 0.35 : 1)
        }
        if !rain {
            Self.scatter(into: &impulses, rng: &rng, rate: 0.12 * Double(amount), frames: n, sampleRate: sr) { r in Float(0.12 + 0.15 * r.unit()) * a }
        }
        impulses.sort { $0.index < $1.index }
        return Voice(rng: rng, hiss: Biquad.lowPass(cutoff: rain ? 2500 : 7000, q: 0.6, sampleRate: sr),
                     body: Biquad.bandPass(centre: rain ? 900 : 2500, q: 0.8, sampleRate: sr),
                     hissLevel: amount * (rain ? 0.018 : 0.0045), humLevel: rain ? 0 : amount * 0.0012,
                     impulses: impulses, hum: (cos(2 * Double.pi * 60 / sr), sin(2 * Double.pi * 60 / sr)))
    }

    /// The running state of one channel's noise.
    struct Voice {
        var rng: SplitMix64
        var hiss: Biquad
        var body: Biquad
        let hissLevel: Float
        let humLevel: Float
        let impulses: [(index: Int, value: Float)]
        /// The 60 Hz phasor's rotation per sample.
        let hum: (c: Double, s: Double)
        var nextImpulse = 0
        var c1 = 1.0, s1 = 0.0
        var click: Float = 0
        var i = 0

        init(rng: SplitMix64, hiss: Biquad, body: Biquad, hissLevel: Float, humLevel: Float,
             impulses: [(index: Int, value: Float)], hum: (c: Double, s: Double)) {
            self.rng = rng; self.hiss = hiss; self.body = body
            self.hissLevel = hissLevel; self.humLevel = humLevel
            self.impulses = impulses; self.hum = hum
        }

        @inline(__always)
        mutating func next() -> Float {
            let w = Float(Double(Int64(bitPattern: rng.next())) * 0x1.0p-63)
            var v = hiss.process(w) * hissLevel
            click *= 0.3
            while nextImpulse < impulses.count && impulses[nextImpulse].index == i {
                click += impulses[nextImpulse].value
                nextImpulse += 1
            }
            v += body.process(click)
            if humLevel > 0 {
                // 60 Hz hum with 2nd and 3rd harmonics from one rotating phasor.
                let s2 = 2 * s1 * c1, s3 = s1 * (3 - 4 * s1 * s1)
                v += humLevel * Float(s1 + 0.5 * s2 + 0.25 * s3)
                (c1, s1) = (c1 * hum.c - s1 * hum.s, s1 * hum.c + c1 * hum.s)
                if i & 4095 == 0 { let m = 1 / (c1 * c1 + s1 * s1).squareRoot(); c1 *= m; s1 *= m }
            }
            if i & (Biquad.flushInterval - 1) == 0 {
                hiss.flushDecayedState()
                body.flushDecayedState()
            }
            i += 1
            return v
        }
    }
}
