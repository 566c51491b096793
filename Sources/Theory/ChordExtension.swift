/// How far up the stack of thirds the keys voice a chord. Extended chords leave out the fifth
/// so that they keep four voices and lead as smoothly as sevenths.
public enum ChordExtension: String, Sendable, CaseIterable {
    /// Root, third, fifth, seventh.
    case seventh
    /// Root, third, seventh, ninth: only where the ninth is major (no ♭9 over iii or vii°).
    case ninth
    /// Root, ♭3, ♭7, 11: only on minor seventh chords, whose perfect eleventh does not clash
    /// with the third as it does over a major chord.
    case eleventh
}

extension RomanNumeral {
    /// Pitch classes stacked in thirds on the scale of `key`: root, 3rd, 5th, 7th, 9th, 11th.
    func stack(in key: Key) -> [PitchClass] {
        let scale = key.scale
        return (0..<6).map { scale[(degree - 1 + 2 * $0) % 7] }
    }

    /// Whether `ext` sounds right on this chord in `key`.
    public func allows(_ ext: ChordExtension, in key: Key) -> Bool {
        let s = stack(in: key)
        func above(_ i: Int) -> Int { s[i].semitones(above: s[0]) }
        switch ext {
        case .seventh: return true
        case .ninth: return above(4) == 2 && above(2) == 7
        case .eleventh: return above(1) == 3 && above(2) == 7 && above(3) == 10 && above(5) == 5
        }
    }

    /// The chord tones the keys play for `ext` (root first).
    public func tones(_ ext: ChordExtension, in key: Key) -> [PitchClass] {
        let s = stack(in: key)
        switch ext {
        case .seventh: return Array(s[0..<4])
        case .ninth: return [s[0], s[1], s[3], s[4]]
        case .eleventh: return [s[0], s[1], s[3], s[5]]
        }
    }
}
