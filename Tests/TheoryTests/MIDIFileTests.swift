import Testing
@testable import Theory

@Suite struct MIDIFileTests {
    @Test func writeThenReadGivesTheSameEvents() throws {
        let track1 = MIDITrack(events: [
            MIDIEvent(tick: 0, .meta(MIDIMeta.trackName, Array("lead".utf8))),
            MIDIEvent(tick: 0, .programChange(channel: 2, program: 11)),
            MIDIEvent(tick: 0, .controlChange(channel: 2, controller: 7, value: 100)),
            MIDIEvent(tick: 10, .noteOn(channel: 2, key: 60, velocity: 90)),
            MIDIEvent(tick: 10, .noteOn(channel: 2, key: 64, velocity: 80)),
            MIDIEvent(tick: 250, .pitchBend(channel: 2, value: 9000)),
            MIDIEvent(tick: 300, .noteOff(channel: 2, key: 60, velocity: 64)),
            MIDIEvent(tick: 300, .noteOn(channel: 2, key: 64, velocity: 0)),
            MIDIEvent(tick: 400, .sysex(0xF0, [0x7E, 0x7F, 0x09, 0x01, 0xF7])),
            MIDIEvent(tick: 500, .channelPressure(channel: 2, pressure: 40)),
            MIDIEvent(tick: 2_000_000, .polyPressure(channel: 2, key: 64, pressure: 3)),
        ], endTick: 2_000_100)
        let tempo = MIDITrack(events: [MIDIEvent(tick: 0, .meta(MIDIMeta.tempo, [0x07, 0xA1, 0x20]))], endTick: 0)
        let file = MIDIFile(format: 1, division: 480, tracks: [tempo, track1])
        let bytes = try MIDIWriter.data(file)
        #expect(try MIDIReader.read(bytes) == file)
    }

    @Test func readerHandlesRunningStatusMetaAndSysexWrittenByHand() throws {
        // Format 0, 96 PPQ: tempo, note on C4, running-status note on E4, a sysex, note-offs
        // as note-on velocity 0 under running status, end of track.
        let track: [UInt8] = [
            0x00, 0xFF, 0x51, 0x03, 0x0F, 0x42, 0x40,
            0x00, 0x90, 0x3C, 0x64,
            0x00, 0x40, 0x50,
            0x81, 0x00, 0xF0, 0x03, 0x43, 0x12, 0xF7,
            0x10, 0x90, 0x3C, 0x00,
            0x00, 0x40, 0x00,
            0x00, 0xFF, 0x2F, 0x00,
        ]
        let bytes: [UInt8] = Array("MThd".utf8) + [0, 0, 0, 6, 0, 0, 0, 1, 0, 96]
            + Array("MTrk".utf8) + [0, 0, 0, UInt8(track.count)] + track
        let file = try MIDIReader.read(bytes)
        #expect(file.format == 0 && file.division == 96 && file.tracks.count == 1)
        let e = file.tracks[0].events
        #expect(e.count == 6)
        #expect(e[0] == MIDIEvent(tick: 0, .meta(0x51, [0x0F, 0x42, 0x40])))
        #expect(e[2] == MIDIEvent(tick: 0, .noteOn(channel: 0, key: 0x40, velocity: 0x50)))
        #expect(e[3] == MIDIEvent(tick: 128, .sysex(0xF0, [0x43, 0x12, 0xF7])))
        // Running status after sysex needs a fresh status byte; 0x90 was given again.
        #expect(e[4] == MIDIEvent(tick: 144, .noteOn(channel: 0, key: 0x3C, velocity: 0)))
        #expect(e[4].message.isNoteOff && e[5].message.isNoteOff)
        #expect(file.tracks[0].endTick == 144)
    }

    @Test func truncatedAndForeignFilesAreRefused() throws {
        let song = Song(key: 1, mode: 1, bpm: 80, energy: 0.5, valence: 0.5, chords: [1], melodies: [[1, 2, 3, 4, 5, 6, 7, 8]])
        let bytes = try Arranger().arrange(song).midiData
        #expect(throws: MIDIReadError.self) { try MIDIReader.read(Array(bytes.prefix(bytes.count - 40))) }
        #expect(throws: MIDIReadError.self) { try MIDIReader.read(Array("RIFF....".utf8)) }
        #expect(throws: MIDIReadError.self) { try MIDIReader.read([]) }
    }

    @Test func variableLengthQuantities() throws {
        // Values from the SMF specification's table.
        let cases: [(Int, [UInt8])] = [(0, [0x00]), (0x40, [0x40]), (0x7F, [0x7F]), (0x80, [0x81, 0x00]),
                                       (0x2000, [0xC0, 0x00]), (0x3FFF, [0xFF, 0x7F]), (0x4000, [0x81, 0x80, 0x00]),
                                       (0x0FFF_FFFF, [0xFF, 0xFF, 0xFF, 0x7F])]
        for (value, expected) in cases {
            var b: [UInt8] = []
            try MIDIWriter.appendVLQ(value, to: &b, what: "test")
            #expect(b == expected)
            var c = ByteCursor(bytes: expected)
            #expect(try c.vlq() == value)
        }
    }
}
