import Foundation
import Testing
@testable import Theory

/// A note recovered from a MIDI file by pairing note-on and note-off.
struct ReadNote {
    let pitch: Int
    let start: Int
    let end: Int
    let channel: Int
    var velocity = 0
}

/// Reads the file back with the SMF reader (not the Score) and pairs notes per track.
func readBack(_ bytes: [UInt8]) throws -> (file: MIDIFile, notes: [String: [ReadNote]]) {
    let file = try MIDIReader.read(bytes)
    var byName: [String: [ReadNote]] = [:]
    for track in file.tracks {
        var open: [Int: [(Int, Int, Int)]] = [:]
        var notes: [ReadNote] = []
        for e in track.events {
            switch e.message {
            case let .noteOn(ch, k, v) where v > 0: open[k, default: []].append((e.tick, ch, v))
            case let .noteOff(ch, k, _), let .noteOn(ch, k, 0):
                if let first = open[k]?.first {
                    open[k]!.removeFirst()
                    notes.append(ReadNote(pitch: k, start: first.0, end: e.tick, channel: ch, velocity: first.2))
                    _ = ch
                }
            default: break
            }
        }
        let hanging = open.values.allSatisfy { $0.isEmpty }
        #expect(hanging, "hanging notes in \(track.name ?? "?")")
        byName[track.name ?? ""] = notes.sorted { ($0.start, $0.pitch) < ($1.start, $1.pitch) }
    }
    return (file, byName)
}

/// The melody row's notes by the song JSON's rule: 0 rests, equal neighbours held.
func expectedOnsets(_ row: [Int]) -> [(slot: Int, degree: Int)] {
    var out: [(Int, Int)] = []
    for (i, v) in row.enumerated() where v != 0 && (i == 0 || row[i - 1] != v) { out.append((i, v)) }
    return out.map { (slot: $0.0, degree: $0.1) }
}

/// Checks every measure of an arranged song against the song itself.
func checkArrangement(_ song: Song, seed: UInt64) throws {
    let score = Arranger().arrange(song, seed: seed)
    let (file, parts) = try readBack(try score.midiData)
    let tonic = song.key - 1
    let scale = TheoryTables.scale(tonic: tonic, mode: song.mode)
    let bar = 1920
    let progression = song.progression

    #expect(file.format == 1 && file.division == 480)
    #expect(file.tracks.map { $0.name ?? "" }.dropFirst() == ["chords", "bass", "melody", "arpeggio", "drums"])
    let conductor = file.tracks[0].events.map(\.message)
    let micros = Int((60_000_000 / song.bpm).rounded())
    #expect(conductor.contains(.meta(0x51, [UInt8(micros >> 16), UInt8((micros >> 8) & 0xFF), UInt8(micros & 0xFF)])))
    #expect(conductor.contains(.meta(0x58, [4, 2, 24, 8])))
    #expect(parts["drums"]!.allSatisfy { $0.channel == 9 })

    // Form: intro, then the progression in order for at least 24 measures, then the outro.
    let main = score.measures.filter { $0.section == .main }
    #expect(main.count >= 24 && main.count % progression.count == 0)
    for (i, m) in main.enumerated() { #expect(m.chordIndex == i % progression.count) }
    #expect(score.measures.first?.section == .intro && score.measures.last?.section == .outro)

    // The chord-tone sets a numeral may be voiced with: the seventh chord, the ninth (root,
    // 3rd, 7th, 9th) where the ninth is major over a perfect fifth, the minor eleventh (root,
    // ♭3, ♭7, 11) on a minor seventh chord — derived here from the hand-written scale tables.
    func voicings(_ numeral: Int) -> [Set<Int>] {
        let sc = scale
        let stack = (0..<6).map { sc[(numeral - 1 + 2 * $0) % 7] }
        func above(_ i: Int) -> Int { (stack[i] - stack[0] + 12) % 12 }
        var sets = [Set(TheoryTables.seventh(tonic: tonic, mode: song.mode, numeral: numeral))]
        if above(4) == 2 && above(2) == 7 { sets.append([stack[0], stack[1], stack[3], stack[4]]) }
        if above(1) == 3 && above(2) == 7 && above(3) == 10 && above(5) == 5 { sets.append([stack[0], stack[1], stack[3], stack[5]]) }
        return sets
    }
    var pushed = false
    for m in score.measures {
        let from = m.index * bar, to = from + bar
        func inBar(_ role: String) -> [ReadNote] { parts[role]!.filter { $0.start >= from && $0.start < to } }
        let chord = progression[m.chordIndex]
        #expect(m.chord == chord)
        let next = score.measures.first { $0.index == m.index + 1 }
        // Notes from the last eighth on (slot 7 sits at 1680 + swing − 4 or later; slot 6 ends
        // its spread by 1460) may belong to the next chord: a push or a bass approach.
        let late = from + 1600
        if chord == 0 {
            #expect(inBar("chords").allSatisfy { $0.start >= late } && inBar("bass").isEmpty && inBar("drums").isEmpty, "rest measure \(m.index) sounds")
            pushed = false
        } else {
            let triad = TheoryTables.triad(tonic: tonic, mode: song.mode, numeral: chord)
            let allowed = voicings(chord)
            let early = Set(inBar("chords").filter { $0.start < late }.map { $0.pitch % 12 })
            #expect(allowed.contains(early) || (early.isEmpty && pushed), "chords in measure \(m.index): \(early.sorted())")
            let lateChord = Set(inBar("chords").filter { $0.start >= late }.map { $0.pitch % 12 })
            let nextAllowed = next.map { $0.chord == 0 ? [] : voicings($0.chord) } ?? []
            #expect(lateChord.isEmpty || allowed.contains { lateChord.isSubset(of: $0) } || nextAllowed.contains(lateChord),
                    "last eighth of measure \(m.index): \(lateChord.sorted())")
            pushed = !lateChord.isEmpty && nextAllowed.contains(lateChord)
            let bass = inBar("bass")
            #expect(bass.first.map { $0.pitch % 12 } == triad[0] && bass.first!.start - from < 12, "bass root in measure \(m.index)")
            for n in bass where !triad.contains(n.pitch % 12) {
                // An approach note: on the last eighth, a semitone from the next chord's root.
                let nextRoot = next.map { TheoryTables.triad(tonic: tonic, mode: song.mode, numeral: max(1, $0.chord))[0] }
                let distance = nextRoot.map { min((n.pitch - $0 + 120) % 12, ($0 - n.pitch + 120) % 12) }
                #expect(n.start >= late && distance == 1 && next?.chord != 0, "bass note \(n.pitch) in measure \(m.index)")
            }
            #expect(Set(inBar("arpeggio").map { $0.pitch % 12 }).isSubset(of: allowed.reduce(Set<Int>()) { $0.union($1) }))
        }
        if m.section != .main { #expect(inBar("drums").isEmpty && inBar("melody").isEmpty) }

        guard m.hasMelody else { continue }
        let expected = expectedOnsets(song.melodies[m.chordIndex])
        let played = inBar("melody")
        let layers = m.melodyDoubled ? 2 : 1
        #expect(played.count == expected.count * layers, "melody notes in measure \(m.index)")
        guard played.count == expected.count * layers else { continue }
        for (k, e) in expected.enumerated() {
            let group = played[(k * layers)..<((k + 1) * layers)]
            for n in group {
                let offset = n.start - from - e.slot * 240
                // On the eighth grid up to humanising (±6 ticks) and swing of odd eighths (≤ 72).
                #expect(offset >= -6 && offset <= (e.slot % 2 == 1 ? 72 : 0) + 6, "onset of slot \(e.slot) in measure \(m.index)")
                #expect(n.pitch % 12 == scale[(e.degree - 1) % 7], "pitch class of degree \(e.degree) in measure \(m.index)")
            }
            if layers == 2 { #expect(group.last!.pitch - group.first!.pitch == 12) }
        }
    }
    // Melodic intervals: consecutive notes of a row differ by the scale distance of their degrees.
    let sorted = parts["melody"]!
    #expect(!sorted.isEmpty || song.melodies.allSatisfy { $0.allSatisfy { $0 == 0 } })
}

@Suite struct ArrangementTests {
    static func playlist() throws -> [Song] {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        var url = dir
        repeat {
            url = dir.appendingPathComponent("shared/reference/default_playlist.json")
            dir = dir.deletingLastPathComponent()
        } while !FileManager.default.fileExists(atPath: url.path) && dir.path != "/"
        return try Song.decodeDocument(try Data(contentsOf: url)).map { try $0.get() }
    }

    @Test func theNineRealSongsEndToEnd() throws {
        let songs = try Self.playlist()
        #expect(songs.count == 9)
        for song in songs { try checkArrangement(song, seed: 0) }
    }

    @Test func randomValidSongsInEveryKeyAndMode() throws {
        var rng = SplitMix64(seed: 42)
        for key in 1...12 {
            for mode in 1...7 {
                let n = rng.int(in: 1...12)
                let chords = (0..<n).map { _ in rng.chance(0.1) ? 0 : rng.int(in: 1...7) }
                let melodies = (0..<n).map { _ in (0..<8).map { _ in rng.chance(0.2) ? 0 : rng.int(in: 1...15) } }
                let song = Song(key: key, mode: mode, bpm: Double(rng.int(in: 60...110)), energy: rng.unit(), valence: rng.unit(),
                                chords: chords, melodies: melodies)
                try song.validate()
                try checkArrangement(song, seed: rng.next())
            }
        }
    }

    @Test func sameSongAndSeedGiveByteIdenticalFiles() throws {
        let song = try Self.playlist()[1]
        let a = try Arranger().arrange(song, seed: 7).midiData
        let b = try Arranger().arrange(song, seed: 7).midiData
        #expect(a == b)
        #expect(try Arranger().arrange(song, seed: 8).midiData != a)
    }

    @Test func presetsFollowTheMood() {
        #expect(ArrangementStyle.forMood(energy: 0.2, valence: 0.2).name == "soft piano")
        #expect(ArrangementStyle.forMood(energy: 0.8, valence: 0.2).name == "guitar")
        #expect(ArrangementStyle.forMood(energy: 0.4, valence: 0.7).name == "sunny")
        #expect(ArrangementStyle.forMood(energy: 0.5, valence: 0.5).name == "rhodes")
    }

    @Test func drumsFillAtLoopBoundaries() throws {
        for song in try Self.playlist() {
            let score = Arranger().arrange(song)
            let main = score.measures.filter { $0.section == .main }
            let loop = song.progression.count * Int((4.0 / Double(song.progression.count)).rounded(.up))
            for (i, m) in main.enumerated() where m.chord != 0 {
                let boundary = (i + 1) % loop == 0 || i == main.count - 1
                #expect((m.drums == .fill) == boundary, "measure \(m.index)")
            }
        }
    }
}
