/// The sound of an arrangement: General MIDI programs and levels per part, and which
/// optional layers play. Chosen from the song's energy and valence (`+Presets`).
public struct ArrangementStyle: Hashable, Sendable {
    public var name: String
    public var chordsProgram: Int
    public var bassProgram: Int
    public var melodyProgram: Int
    public var arpeggioProgram: Int
    /// General MIDI drum kit number (0 standard, 8 room, 32 jazz, 40 brush).
    public var drumKit: Int
    /// Channel volumes (CC 7) per role.
    public var volumes: [PartRole: Int]
    /// Base note velocities per role.
    public var velocities: [PartRole: Int]
    public var hasArpeggio: Bool
    /// Whether later passes double the melody an octave up.
    public var doublesMelody: Bool
    /// Comping rhythms the keys choose from; the A and B passes take different ones.
    public var compings: [SlotRhythm]
    /// Chance that a chord is voiced as a ninth or eleventh where the mode allows.
    public var extensionChance: Double
    /// Chance, per chord change, that the keys push the next chord an eighth early.
    public var anticipationChance: Double
    /// Chance, per chord change, that the bass walks into the next root on the last eighth.
    public var approachChance: Double
}

/// Rhythms on the eighth-note grid of one measure: (slot 0…7, length in slots).
public struct SlotRhythm: Hashable, Sendable {
    public let hits: [(slot: Int, length: Int)]

    public init(_ hits: [(Int, Int)]) { self.hits = hits.map { (slot: $0.0, length: $0.1) } }

    public static func == (a: SlotRhythm, b: SlotRhythm) -> Bool {
        a.hits.map(\.slot) == b.hits.map(\.slot) && a.hits.map(\.length) == b.hits.map(\.length)
    }

    public func hash(into h: inout Hasher) {
        for x in hits { h.combine(x.slot); h.combine(x.length) }
    }
}

/// A bass line for one measure: the root always on beat 1, then chord tones.
public struct BassPattern: Sendable {
    public enum Tone: Sendable { case root, fifth, octave }
    public let hits: [(slot: Int, length: Int, tone: Tone)]
}
