/// The role a part plays in the arrangement; also its MIDI track name.
public enum PartRole: String, CaseIterable, Sendable {
    case chords, bass, melody, arpeggio, drums

    /// MIDI channel (0-based); drums sit on channel 10 as General MIDI requires.
    public var channel: Int {
        switch self {
        case .chords: 0
        case .bass: 1
        case .melody: 2
        case .arpeggio: 3
        case .drums: 9
        }
    }
}

/// A sounding note: MIDI pitch and velocity, start and length in ticks.
public struct Note: Hashable, Sendable {
    public var pitch: Int
    public var velocity: Int
    public var start: Int
    public var duration: Int

    public init(pitch: Int, velocity: Int, start: Int, duration: Int) {
        self.pitch = pitch
        self.velocity = velocity
        self.start = start
        self.duration = duration
    }

    public var end: Int { start + duration }
}

/// One instrument's line: its General MIDI program (a drum kit number for drums),
/// channel level and pan, and its notes sorted by start.
public struct Part: Hashable, Sendable {
    public var role: PartRole
    public var program: Int
    /// Channel volume, MIDI CC 7.
    public var volume: Int
    /// Pan, MIDI CC 10 (64 = centre).
    public var pan: Int
    public var notes: [Note]

    public var channel: Int { role.channel }
}

/// Where a measure sits in the form.
public enum Section: String, Sendable {
    case intro, main, outro
}

/// How the drums play in a measure.
public enum DrumFill: Sendable, Equatable {
    /// The groove.
    case full
    /// The groove on beats 1–2, a fill on beats 3–4 (the end of a drum loop).
    case fill
    /// Only the hats, softer: the drums drop out for a breakdown.
    case hatsOnly
    case none
}

/// Which variation of the main section a measure belongs to: the A pass and the B pass
/// (another comping, the melody doubled or an octave up, a breakdown).
public enum Variation: String, Sendable {
    case a, b
}

/// What the arranger put in one measure: which chord of the progression, and which parts play.
public struct MeasurePlan: Hashable, Sendable {
    public let index: Int
    public let section: Section
    /// Index into the song's progression.
    public let chordIndex: Int
    /// The song's chord value there (0 = rest, 1…7 numeral).
    public let chord: Int
    public let hasHarmony: Bool
    public let hasMelody: Bool
    public let melodyDoubled: Bool
    public let drums: DrumFill
    public let variation: Variation
}

/// A song arranged into notes: tempo, key, parts and the measure plan, in ticks of
/// `ticksPerQuarter` per quarter note, four quarters a measure.
public struct Score: Hashable, Sendable {
    public static let ticksPerQuarter = 480
    public static let ticksPerMeasure = 4 * ticksPerQuarter
    public static let ticksPerEighth = ticksPerQuarter / 2

    public var title: String
    public var bpm: Double
    public var key: Key
    public var styleName: String
    /// Delay of off-beat eighths in ticks (0 = straight).
    public var swing: Int
    /// The drummer's feel: sixteenth swing, snare lag, kit drift.
    public var groove: Groove
    public var measures: [MeasurePlan]
    public var parts: [Part]
    /// The words under the melody, in karaoke spelling, in tick order (empty without lyrics).
    public var lyrics: [LyricEvent] = []

    public func part(_ role: PartRole) -> Part? { parts.first { $0.role == role } }

    /// Length of the form in ticks (whole measures).
    public var formTicks: Int { measures.count * Score.ticksPerMeasure }

    /// The last tick any note sounds, or the end of the form if later.
    public var endTick: Int {
        max(formTicks, parts.flatMap(\.notes).map(\.end).max() ?? 0)
    }

    /// Seconds per tick at this tempo.
    public var secondsPerTick: Double { 60.0 / (bpm * Double(Score.ticksPerQuarter)) }

    /// Duration of the form plus ringing notes, in seconds.
    public var duration: Double { Double(endTick) * secondsPerTick }
}

/// One sung syllable of the melody track: a lyric meta event (FF 05) in the karaoke
/// convention, "/" opening a line, a trailing "-" joining the syllables of a word, a
/// trailing space ending a word.
public struct LyricEvent: Hashable, Sendable {
    public var tick: Int
    public var text: String

    public init(tick: Int, text: String) {
        self.tick = tick
        self.text = text
    }

    /// Whether this syllable opens a lyric line.
    public var opensLine: Bool { text.hasPrefix("/") }
    /// The syllable without the karaoke marks.
    public var syllable: String {
        var s = Substring(text)
        if s.hasPrefix("/") { s = s.dropFirst() }
        while s.hasSuffix(" ") || s.hasSuffix("-") { s = s.dropLast() }
        return String(s)
    }
}
