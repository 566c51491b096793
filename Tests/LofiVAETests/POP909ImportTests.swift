import Foundation
import Testing
import Theory
@testable import LofiVAE

/// Two POP909 songs against expectations worked out by hand from the raw annotations
/// (beat_midi.txt, chord_midi.txt, key_audio.txt) and the MELODY track.
@Suite struct POP909ImportTests {
    static var pop909: URL { Reference.shared.deletingLastPathComponent().appendingPathComponent("datasets/pop909") }

    @Test func song001FirstPhraseChords() throws {
        // G♭ major (key_audio). Measure 2 (2.72–5.39 s) holds B and C♯ for 1.33 s each: the
        // downbeat's B wins, IV. Measure 3: B♭m and E♭m halves, B♭m = iii. Measure 4: B
        // (IV) again; measure 5: F♯ (I) throughout.
        let r = POP909Importer().importSong(at: Self.pop909.appendingPathComponent("001"))
        let first = try #require(r.samples.first)
        #expect(first.song.key == 7 && first.song.mode == 1)
        #expect(first.song.title == "POP909 001, measures 2–17")
        #expect(Array(first.song.chords.prefix(4)) == [4, 3, 4, 1])
        #expect(first.group == "pop909/001")
        // 90 bpm: beats 0.6667 s apart.
        #expect(first.song.bpm == 90)
    }

    @Test func song002FirstMeasureMelody() throws {
        // B major; the file has 16 tempo changes, so note times come through the tempo map.
        // Measure 6 starts on the downbeat at 20.4836 s; slots are half-beats of 0.46875 s.
        // MELODY notes (onset → slot position): D♯5 20.484 → 0.00; C♯5 20.718 → 0.50 (0.5002
        // with the exact beat times, so slot 1); D♯5 20.952 → 1.00; C♯5 21.187 → 1.50 (slot 2);
        // D♯5 21.421 → 2.00; B4 21.890 → 3.00; A♯4 22.359 → 4.00; B4 22.827 → 5.00;
        // C♯5 23.062 → 5.50 (slot 6, to 6.77 → one slot); nothing starts in slot 7.
        // Sixteenths collide on the eighth grid and the earlier note keeps each slot:
        // D♯5 C♯5 C♯5 B4 A♯4 B4 C♯5 rest. The window is octaves 4–5: D♯5 = 7 + 3 = 10,
        // C♯5 = 9, B4 = 8, A♯4 (octave 4) = 7. Chords: B (I) and F♯ halves tie, the downbeat's
        // B wins; then G♯m (vi).
        let r = POP909Importer().importSong(at: Self.pop909.appendingPathComponent("002"))
        let first = try #require(r.samples.first)
        #expect(first.song.key == 12 && first.song.mode == 1)
        #expect(first.song.title?.hasPrefix("POP909 002, measures 6–") == true)
        #expect(first.song.melodies[0] == [10, 9, 9, 8, 7, 8, 9, 0])
        #expect(Array(first.song.chords.prefix(2)) == [1, 6])
        #expect(first.song.bpm == 64)
    }

    @Test func judgementCallsAreCounted() throws {
        // The measure counts against a parse of beat_midi.txt written here: a measure runs from
        // one downbeat (third column 1) to the next, and is irregular unless it holds 4 beats.
        var total = 0
        for song in ["001", "002", "003", "004", "005", "006", "007", "008"] {
            let folder = Self.pop909.appendingPathComponent(song)
            let rows = try String(contentsOf: folder.appendingPathComponent("beat_midi.txt"), encoding: .utf8)
                .split(separator: "\n").map { $0.split(separator: " ") }.filter { $0.count == 3 }
            let downbeats = rows.indices.filter { Double(rows[$0][2]) == 1 }
            let irregular = zip(downbeats, downbeats.dropFirst()).filter { $1 - $0 != 4 }.count
            let r = POP909Importer().importSong(at: folder)
            #expect(r.counts["measures read"] == downbeats.count - 1, "song \(song): measures read")
            #expect((r.counts["irregular measures (not 4 beats; phrases break there)"] ?? 0) == irregular, "song \(song): irregular measures")
            #expect(r.samples.allSatisfy { $0.song.problems().isEmpty && [4, 8, 12, 16].contains($0.song.chords.count) })
            total += irregular
        }
        #expect(total > 0, "the eight songs include irregular measures, so the count is tried")
    }

    @Test func furtherCutsAddOtherWindowsOfTheSameMeasures() throws {
        let one = POP909Importer().importSong(at: Self.pop909.appendingPathComponent("001"))
        let three = POP909Importer(cuts: 3).importSong(at: Self.pop909.appendingPathComponent("001"))
        // The first walk is unchanged and comes first.
        #expect(Array(three.samples.prefix(one.samples.count).map(\.song)) == one.samples.map(\.song))
        #expect(three.samples.count > one.samples.count)
        // "measures a–b" of every window: no window twice, and a measure's chord is the same
        // in every window that holds it (one chord per measure, whatever the cut).
        func span(_ s: TrainingSample) throws -> ClosedRange<Int> {
            let text = try #require(s.song.title?.split(separator: " ").last)
            let ends = text.split(separator: "–").compactMap { Int($0) }
            try #require(ends.count == 2)
            return ends[0]...ends[1]
        }
        var chordOf: [Int: Int] = [:]
        var seen = Set<[Int]>()
        for s in three.samples {
            let r = try span(s)
            #expect(seen.insert([r.lowerBound, r.upperBound]).inserted)
            #expect(r.count == s.song.chords.count && s.group == "pop909/001")
            for (m, c) in zip(r, s.song.chords) {
                if let known = chordOf[m] { #expect(known == c, "measure \(m)") } else { chordOf[m] = c }
            }
        }
    }

    @Test func aMissingFolderIsSkippedWithAReason() {
        let r = POP909Importer().importSong(at: URL(fileURLWithPath: "/nonexistent/123"))
        #expect(r.samples.isEmpty)
        #expect(r.counts.keys.contains { $0.hasPrefix("songs skipped:") })
    }
}
