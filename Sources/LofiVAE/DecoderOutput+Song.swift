import Crypto
import Foundation
import Theory

extension DecoderOutput {
    /// The song JSON of LOFI2LOFI.md's "From logits to the song JSON".
    public func song(latent z: [Float]) -> Song {
        func clamp01(_ x: Float) -> Double { Double(min(max(x, 0), 1)) }
        func round3(_ x: Double) -> Double { (x * 1000).rounded(.toNearestOrEven) / 1000 }
        let melodies = stride(from: 0, to: melody.count, by: 8).map { Array(melody[$0..<($0 + 8)]) }
        return Song(title: SongTitle.make(latent: z), key: keyIndex + 1, mode: modeIndex + 1,
                    bpm: (clamp01(tempo) * 30 + 70).rounded(.toNearestOrEven),
                    energy: round3(clamp01(energy)), valence: round3(clamp01(valence)),
                    chords: chords, melodies: melodies)
    }
}

/// The reference's song title: "#", the last digit of trunc(|z[k]|·587) for k = 0, 5, … 95,
/// then the MD5 of z (100 little-endian float32) as a decimal number; 25 characters in all.
public enum SongTitle {
    public static func make(latent z: [Float]) -> String {
        var title = "#"
        for k in stride(from: 0, to: min(z.count, 100), by: 5) {
            let v = (Double(abs(z[k])) * 587).rounded(.towardZero)
            title += v.isFinite && v < 1e18 ? String(Int64(v) % 10) : "0"
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(z.count * 4)
        for x in z { withUnsafeBytes(of: x.bitPattern.littleEndian) { bytes += $0 } }
        title += decimal(bigEndian: Array(Insecure.MD5.hash(data: bytes)))
        return String(title.prefix(25))
    }

    /// A big-endian unsigned integer of any length in decimal.
    public static func decimal(bigEndian bytes: [UInt8]) -> String {
        var limbs = bytes.map { UInt32($0) }
        var digits: [Character] = []
        while limbs.contains(where: { $0 != 0 }) {
            var remainder: UInt32 = 0
            for i in limbs.indices {
                let cur = remainder << 8 | limbs[i]
                limbs[i] = cur / 10
                remainder = cur % 10
            }
            digits.append(Character(String(remainder)))
        }
        return digits.isEmpty ? "0" : String(digits.reversed())
    }
}
