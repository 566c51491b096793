import Foundation
import Theory

/// How the decoder picks each melody note from its distribution, when not by argmax.
///
/// Argmax (the reference's decoding, LOFI2LOFI.md) takes the single most likely slot every
/// time; where z leaves the melody open that is "the same note again", so greedy melodies
/// hold one or two pitches. Sampling draws from the distribution instead: `temperature`
/// sharpens it, nucleus (`topP`) drops the unlikely tail, and `chordToneBias` adds to the
/// log-odds of the measure's triad tones on the beats (slots 0, 2, 4, 6), so the notes that
/// land on a beat sit on the chord. Chords, key, mode, tempo, energy and valence stay argmax.
///
/// The draws come from a generator seeded by `seed` and the latent vector's bits, so a
/// latent decodes to the same song whatever the batch it is in.
public struct MelodySampling: Sendable, Equatable {
    public var temperature: Double
    public var topP: Double
    public var chordToneBias: Double
    public var seed: UInt64

    public init(temperature: Double, topP: Double, chordToneBias: Double, seed: UInt64 = 0) {
        self.temperature = temperature
        self.topP = topP
        self.chordToneBias = chordToneBias
        self.seed = seed
    }

    /// The generator of one latent's draws: FNV-1a over z's little-endian float bytes.
    func generator(for z: UnsafeBufferPointer<Float>) -> SplitMix64 {
        SplitMix64(seed: fnv1a64(z.lazy.flatMap { v in (0..<4).lazy.map { UInt8(truncatingIfNeeded: v.bitPattern >> (8 * $0)) } }) ^ seed)
    }

    /// `chordTones[k][t]`: melody token t is a tone of the triad on chord token k (1…7).
    static let chordTones: [[Bool]] = (0..<Lofi2LofiDecoder.chordTokens).map { k in
        (0..<Lofi2LofiDecoder.melodyTokens).map { t in
            guard (1...7).contains(k), t > 0 else { return false }
            let degree = (t - 1) % 7, root = k - 1
            return [root, (root + 2) % 7, (root + 4) % 7].contains(degree)
        }
    }

    /// Draws a melody token from `logits` (15 values) of a slot over chord token `chord`.
    func pick(_ logits: ArraySlice<Float>, chord: Int, onBeat: Bool, rng: inout SplitMix64) -> Int {
        let tones = Self.chordTones[chord]
        var weights = [Double](repeating: 0, count: logits.count)
        var top = -Double.infinity
        for (i, l) in logits.enumerated() {
            let w = Double(l) / temperature + (onBeat && tones[i] ? chordToneBias : 0)
            weights[i] = w
            top = max(top, w)
        }
        var sum = 0.0
        for i in weights.indices { weights[i] = exp(weights[i] - top); sum += weights[i] }
        // Most likely first; ties keep token order, so the result never depends on sorting.
        let order = weights.indices.sorted { weights[$0] != weights[$1] ? weights[$0] > weights[$1] : $0 < $1 }
        var kept = 0, mass = 0.0
        for i in order {
            kept += 1
            mass += weights[i]
            if mass >= topP * sum { break }
        }
        var u = rng.unit() * mass
        for i in order.prefix(kept) {
            u -= weights[i]
            if u < 0 { return i }
        }
        return order[kept - 1]
    }
}
