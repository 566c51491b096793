/// One of the twelve pitch classes of equal temperament, 0 = C … 11 = B.
public struct PitchClass: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Semitones above C, always in 0..<12.
    public let semitone: Int

    /// Wraps any semitone count into 0..<12, so MIDI note numbers work too.
    public init(_ semitone: Int) {
        self.semitone = ((semitone % 12) + 12) % 12
    }

    /// The pitch class of a MIDI note number.
    public init(midiNote: Int) { self.init(midiNote) }

    /// The pitch class `semitones` above this one.
    public func transposed(by semitones: Int) -> PitchClass { PitchClass(semitone + semitones) }

    /// Upward distance in semitones from `other` to this pitch class (0..<12).
    public func semitones(above other: PitchClass) -> Int { PitchClass(semitone - other.semitone).semitone }

    public static func < (a: PitchClass, b: PitchClass) -> Bool { a.semitone < b.semitone }

    public var description: String { PitchClass.sharpNames[semitone] }

    static let sharpNames = ["C", "C♯", "D", "D♯", "E", "F", "F♯", "G", "G♯", "A", "A♯", "B"]
}
