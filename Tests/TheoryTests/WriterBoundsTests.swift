import Foundation
import Testing
@testable import Theory

/// Values a Standard MIDI File cannot hold are refused, not truncated (review defect 14).
@Suite struct WriterBoundsTests {
    @Test func quantitiesAboveTwentyEightBitsAreRefused() throws {
        var b: [UInt8] = []
        try MIDIWriter.appendVLQ(MIDIWriter.maxVLQ, to: &b, what: "x")
        #expect(b == [0xFF, 0xFF, 0xFF, 0x7F])
        #expect(throws: MIDIWriteError.self) { try MIDIWriter.appendVLQ(MIDIWriter.maxVLQ + 1, to: &b, what: "x") }
        #expect(throws: MIDIWriteError.self) { try MIDIWriter.appendVLQ(-1, to: &b, what: "x") }
    }

    @Test func aHugeMetaEventOrDeltaIsRefusedByTheWriter() throws {
        // Before: 2²⁸ + 5 bytes of name were written with the length 5 (the top bits cut off).
        let name = [UInt8](repeating: 0x41, count: (1 << 28) + 5)
        let file = MIDIFile(tracks: [MIDITrack(events: [MIDIEvent(tick: 0, .meta(MIDIMeta.trackName, name))])])
        do {
            _ = try MIDIWriter.data(file)
            Issue.record("wrote a meta event longer than a MIDI file can say")
        } catch {
            #expect(error.description == "meta event length is 268435461, above the largest a MIDI file can hold (268435455)")
        }
        let late = MIDIFile(tracks: [MIDITrack(events: [MIDIEvent(tick: 1 << 28, .noteOn(channel: 0, key: 60, velocity: 90))])])
        #expect(throws: MIDIWriteError.self) { try MIDIWriter.data(late) }
        // Just within: the delta 2²⁸ − 1 is written and read back.
        let edge = MIDIFile(tracks: [MIDITrack(events: [MIDIEvent(tick: MIDIWriter.maxVLQ, .noteOn(channel: 0, key: 60, velocity: 90))])])
        #expect(try MIDIReader.read(try MIDIWriter.data(edge)).tracks[0].events.first?.tick == MIDIWriter.maxVLQ)
    }

    @Test func titlesAreCappedByTheSongRules() {
        var song = Song(title: String(repeating: "é", count: 512), key: 1, mode: 1, bpm: 80, energy: 0.5, valence: 0.5,
                        chords: [1], melodies: [[1, 2, 3, 4, 5, 6, 7, 8]])
        #expect(song.problems().isEmpty)   // 1,024 bytes: the limit itself
        song.title! += "x"
        #expect(song.problems().map(\.description) == ["title: 1025 bytes; at most 1024"])
    }
}
