/// The seven diatonic modes, numbered as the song JSON numbers them (1 = Ionian … 7 = Locrian).
public enum Mode: Int, CaseIterable, Sendable, CustomStringConvertible {
    case ionian = 1, dorian, phrygian, lydian, mixolydian, aeolian, locrian

    /// Semitone offsets of the major scale; every mode is a rotation of it.
    static let majorSteps = [0, 2, 4, 5, 7, 9, 11]

    /// Semitones of scale degrees 1…7 above the tonic.
    public var steps: [Int] {
        let r = rawValue - 1
        return (0..<7).map { i in
            let j = r + i
            return Mode.majorSteps[j % 7] + (j >= 7 ? 12 : 0) - Mode.majorSteps[r]
        }
    }

    /// How far above its parent major scale's tonic this mode's tonic lies.
    /// D Dorian has parent C major: offset 2.
    public var offsetFromParentMajor: Int { Mode.majorSteps[rawValue - 1] }

    /// The name a musician uses: "major" and "minor" for Ionian and Aeolian.
    public var name: String {
        switch self {
        case .ionian: "major"
        case .dorian: "Dorian"
        case .phrygian: "Phrygian"
        case .lydian: "Lydian"
        case .mixolydian: "Mixolydian"
        case .aeolian: "minor"
        case .locrian: "Locrian"
        }
    }

    /// Whether the tonic triad is minor (or diminished): used for key signatures and presets.
    public var isMinor: Bool { steps[2] == 3 }

    public var description: String { name }
}
