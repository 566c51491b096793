/// A diatonic chord named by the scale degree of its root, I…VII.
public struct RomanNumeral: Hashable, Sendable {
    /// Scale degree of the root, 1…7.
    public let degree: Int

    /// Nil outside 1…7 (0 is a rest and 8 the end token in the song JSON, not chords).
    public init?(_ degree: Int) {
        guard (1...7).contains(degree) else { return nil }
        self.degree = degree
    }

    /// Triad pitch classes (root, third, fifth) stacked in thirds on the scale of `key`.
    public func triad(in key: Key) -> [PitchClass] { stack(3, in: key) }

    /// Seventh-chord pitch classes (root, third, fifth, seventh).
    public func seventh(in key: Key) -> [PitchClass] { stack(4, in: key) }

    /// Triad quality in `key`.
    public func quality(in key: Key) -> ChordQuality {
        let t = triad(in: key)
        return ChordQuality(third: t[1].semitones(above: t[0]), fifth: t[2].semitones(above: t[0]))
    }

    /// The symbol a musician writes: upper case for major, lower for minor, ° for diminished.
    public func symbol(in key: Key) -> String {
        let upper = ["I", "II", "III", "IV", "V", "VI", "VII"][degree - 1]
        switch quality(in: key) {
        case .major: return upper
        case .minor: return upper.lowercased()
        case .diminished: return upper.lowercased() + "°"
        case .augmented: return upper + "+"
        }
    }

    private func stack(_ count: Int, in key: Key) -> [PitchClass] {
        let scale = key.scale
        return (0..<count).map { scale[(degree - 1 + 2 * $0) % 7] }
    }
}

/// Quality of a triad, from the sizes of its third and fifth.
public enum ChordQuality: Sendable, Equatable {
    case major, minor, diminished, augmented

    init(third: Int, fifth: Int) {
        switch (third, fifth) {
        case (4, 8): self = .augmented
        case (4, _): self = .major
        case (3, 6): self = .diminished
        default: self = .minor
        }
    }
}
