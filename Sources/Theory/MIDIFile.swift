/// A Standard MIDI File in memory: format, time division and tracks of timed events.
public struct MIDIFile: Hashable, Sendable {
    /// 0 (one track), 1 (parallel tracks) or 2.
    public var format: Int
    /// Ticks per quarter note (SMPTE divisions are kept as the raw 16-bit value).
    public var division: Int
    public var tracks: [MIDITrack]

    public init(format: Int = 1, division: Int = 480, tracks: [MIDITrack]) {
        self.format = format
        self.division = division
        self.tracks = tracks
    }
}

/// One MTrk chunk: events at absolute ticks, in file order.
public struct MIDITrack: Hashable, Sendable {
    public var events: [MIDIEvent]
    /// Tick of the end-of-track event; nil puts it right after the last event.
    public var endTick: Int?

    public init(events: [MIDIEvent] = [], endTick: Int? = nil) {
        self.events = events
        self.endTick = endTick
    }

    /// The text of the first track-name meta event, if any.
    public var name: String? {
        for e in events { if case .meta(0x03, let data) = e.message { return String(decoding: data, as: UTF8.self) } }
        return nil
    }
}

/// An event at an absolute tick.
public struct MIDIEvent: Hashable, Sendable {
    public var tick: Int
    public var message: MIDIMessage

    public init(tick: Int, _ message: MIDIMessage) {
        self.tick = tick
        self.message = message
    }
}

/// The messages a Standard MIDI File holds. Channels are 0-based.
public enum MIDIMessage: Hashable, Sendable {
    case noteOff(channel: Int, key: Int, velocity: Int)
    case noteOn(channel: Int, key: Int, velocity: Int)
    case polyPressure(channel: Int, key: Int, pressure: Int)
    case controlChange(channel: Int, controller: Int, value: Int)
    case programChange(channel: Int, program: Int)
    case channelPressure(channel: Int, pressure: Int)
    /// 14-bit value, 8192 = centre.
    case pitchBend(channel: Int, value: Int)
    /// Meta event: type byte and payload. End-of-track (0x2F) is implied, never stored.
    case meta(UInt8, [UInt8])
    /// System exclusive: status F0 or F7 and the bytes after the length.
    case sysex(UInt8, [UInt8])

    /// A note-on with velocity 0 counts as a note-off, as the standard says.
    public var isNoteOff: Bool {
        switch self {
        case .noteOff: true
        case .noteOn(_, _, let v): v == 0
        default: false
        }
    }

    public var isNoteOn: Bool {
        if case .noteOn(_, _, let v) = self { return v > 0 }
        return false
    }
}

/// Common meta-event types.
public enum MIDIMeta {
    public static let text: UInt8 = 0x01
    public static let trackName: UInt8 = 0x03
    public static let lyric: UInt8 = 0x05
    public static let marker: UInt8 = 0x06
    public static let endOfTrack: UInt8 = 0x2F
    public static let tempo: UInt8 = 0x51
    public static let timeSignature: UInt8 = 0x58
    public static let keySignature: UInt8 = 0x59
}
