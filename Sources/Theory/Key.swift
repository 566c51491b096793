/// A key: tonic pitch class plus mode, e.g. D♭ major or F♯ Dorian.
public struct Key: Hashable, Sendable, CustomStringConvertible {
    public let tonic: PitchClass
    public let mode: Mode

    public init(tonic: PitchClass, mode: Mode) {
        self.tonic = tonic
        self.mode = mode
    }

    /// The song JSON's numbering: key 1..12 (1 = C), mode 1..7. Nil when out of range.
    public init?(songKey: Int, songMode: Int) {
        guard (1...12).contains(songKey), let mode = Mode(rawValue: songMode) else { return nil }
        self.init(tonic: PitchClass(songKey - 1), mode: mode)
    }

    /// Pitch classes of scale degrees 1…7.
    public var scale: [PitchClass] { mode.steps.map { tonic.transposed(by: $0) } }

    /// The tonic of the major scale that holds the same notes (C for D Dorian).
    public var parentMajorTonic: PitchClass { tonic.transposed(by: -mode.offsetFromParentMajor) }

    /// Key-signature accidentals: positive sharps, negative flats, in -6...6.
    /// The spelling with fewer accidentals wins; at six each, flats (G♭ major, E♭ minor),
    /// except Lydian, whose tonic would be C♭: B Lydian reads better.
    public var signature: Int {
        let sharps = (parentMajorTonic.semitone * 7) % 12
        if sharps == 6 { return mode == .lydian ? 6 : -6 }
        return sharps < 6 ? sharps : sharps - 12
    }

    /// Scale degrees 1…7 spelled as note names in this key's signature ("D♭", "E♭", "F", …).
    public var spelledScale: [String] {
        let parentIndex = signature >= 0 ? signature : -signature
        let parentName = signature >= 0 ? Key.sharpMajorTonics[parentIndex] : Key.flatMajorTonics[parentIndex]
        let startLetter = Key.letters.firstIndex(of: parentName.first!)!
        let parentScale = Key(tonic: parentMajorTonic, mode: .ionian).scale
        let parentNames = (0..<7).map { i -> String in
            let letter = Key.letters[(startLetter + i) % 7]
            let natural = Key.naturalSemitones[(startLetter + i) % 7]
            var shift = parentScale[i].semitone - natural
            if shift > 6 { shift -= 12 }
            if shift < -6 { shift += 12 }
            return String(letter) + Key.accidental(shift)
        }
        let r = mode.rawValue - 1
        return (0..<7).map { parentNames[(r + $0) % 7] }
    }

    /// The tonic's name as spelled in this key.
    public var tonicName: String { spelledScale[0] }

    /// "D♭ major", "F♯ Dorian", "E♭ minor".
    public var name: String { "\(tonicName) \(mode.name)" }

    public var description: String { name }

    static let letters: [Character] = ["C", "D", "E", "F", "G", "A", "B"]
    static let naturalSemitones = [0, 2, 4, 5, 7, 9, 11]
    static let sharpMajorTonics = ["C", "G", "D", "A", "E", "B", "F♯"]
    static let flatMajorTonics = ["C", "F", "B♭", "E♭", "A♭", "D♭", "G♭"]

    static func accidental(_ shift: Int) -> String {
        switch shift {
        case -2: "𝄫"
        case -1: "♭"
        case 1: "♯"
        case 2: "𝄪"
        default: ""
        }
    }
}
