extension ArrangementStyle {
    /// Calm and sad: soft piano, upright bass, brushes.
    public static let softPiano = ArrangementStyle(
        name: "soft piano", chordsProgram: 0, bassProgram: 32, melodyProgram: 0, arpeggioProgram: 46,
        drumKit: 40,
        volumes: [.chords: 88, .bass: 92, .melody: 100, .arpeggio: 58, .drums: 76],
        velocities: [.chords: 56, .bass: 78, .melody: 70, .arpeggio: 44, .drums: 62],
        hasArpeggio: true, doublesMelody: false,
        compings: [.held, .halves, .push], extensionChance: 0.35, anticipationChance: 0.25, approachChance: 0.3)

    /// The middle ground: electric piano with sevenths, vibraphone lead, jazz kit.
    public static let rhodes = ArrangementStyle(
        name: "rhodes", chordsProgram: 4, bassProgram: 33, melodyProgram: 11, arpeggioProgram: 46,
        drumKit: 32,
        volumes: [.chords: 96, .bass: 96, .melody: 96, .arpeggio: 54, .drums: 84],
        velocities: [.chords: 64, .bass: 84, .melody: 76, .arpeggio: 46, .drums: 70],
        hasArpeggio: true, doublesMelody: true,
        compings: [.push, .halves, .stabs], extensionChance: 0.5, anticipationChance: 0.45, approachChance: 0.45)

    /// Bright and relaxed: electric piano, flute lead, celesta sparkle, room kit.
    public static let sunny = ArrangementStyle(
        name: "sunny", chordsProgram: 5, bassProgram: 33, melodyProgram: 73, arpeggioProgram: 8,
        drumKit: 8,
        volumes: [.chords: 92, .bass: 96, .melody: 92, .arpeggio: 60, .drums: 86],
        velocities: [.chords: 62, .bass: 84, .melody: 74, .arpeggio: 50, .drums: 72],
        hasArpeggio: true, doublesMelody: true,
        compings: [.push, .stabs, .halves], extensionChance: 0.45, anticipationChance: 0.4, approachChance: 0.4)

    /// Energetic: electric piano under a clean electric guitar lead, standard kit.
    public static let guitar = ArrangementStyle(
        name: "guitar", chordsProgram: 4, bassProgram: 33, melodyProgram: 27, arpeggioProgram: 5,
        drumKit: 0,
        volumes: [.chords: 90, .bass: 100, .melody: 96, .arpeggio: 50, .drums: 92],
        velocities: [.chords: 66, .bass: 90, .melody: 82, .arpeggio: 48, .drums: 80],
        hasArpeggio: false, doublesMelody: true,
        compings: [.stabs, .push], extensionChance: 0.3, anticipationChance: 0.5, approachChance: 0.5)

    public static let all: [ArrangementStyle] = [.softPiano, .rhodes, .sunny, .guitar]

    /// The preset for a mood: energy ≥ 0.6 → guitar; calm and sad → soft piano;
    /// positive → sunny; otherwise rhodes.
    public static func forMood(energy: Double, valence: Double) -> ArrangementStyle {
        if energy >= 0.6 { return .guitar }
        if energy < 0.45 && valence < 0.45 { return .softPiano }
        if valence >= 0.55 { return .sunny }
        return .rhodes
    }
}

extension SlotRhythm {
    /// A held pad: the whole measure.
    public static let held = SlotRhythm([(0, 8)])
    /// A push on the and of 2.
    public static let push = SlotRhythm([(0, 3), (3, 5)])
    /// Two halves.
    public static let halves = SlotRhythm([(0, 4), (4, 4)])
    /// Short swung stabs: the downbeat, the and of 2, the and of 3.
    public static let stabs = SlotRhythm([(0, 2), (3, 1), (5, 2)])
}

extension BassPattern {
    static let patterns: [BassPattern] = [
        BassPattern(hits: [(0, 7, .root)]),
        BassPattern(hits: [(0, 3, .root), (3, 1, .root), (4, 4, .fifth)]),
        BassPattern(hits: [(0, 4, .root), (5, 1, .octave), (6, 2, .fifth)]),
        BassPattern(hits: [(0, 3, .root), (3, 3, .root), (6, 2, .fifth)]),
    ]
}
