import Foundation
import Testing
@testable import Theory

/// The eighth-note swing of the pitched parts: each song's is fixed by its seed (pinned
/// here), and it is what the written MIDI file plays, measured from the file read back by the
/// SMF reader: odd eighths sit `swing` ticks after the straight grid, even ones on it, up to
/// the ±4-tick looseness.
@Suite struct SwingTests {
    /// score.swing for the nine playlist songs at seeds 1…3, as the arranger chooses it (0:
    /// straight; otherwise 38…72 ticks, a 58–65 % long-short ratio).
    static let pinned: [[Int]] = [[56, 43, 64], [70, 50, 0], [66, 58, 40], [71, 0, 0], [52, 0, 0], [0, 0, 59], [47, 0, 0], [56, 65, 69], [62, 58, 41]]

    /// Median onset offset from the straight eighth grid of the melody's odd and even slots.
    static func measuredSwing(_ midi: MIDIFile) -> (odd: Int, even: Int, count: Int)? {
        guard let track = midi.tracks.first(where: { t in t.events.contains { $0.message == .meta(MIDIMeta.trackName, Array("melody".utf8)) } }) else { return nil }
        var odd: [Int] = [], even: [Int] = []
        for e in track.events {
            guard case .noteOn(_, _, let velocity) = e.message, velocity > 0 else { continue }
            let position = e.tick % Score.ticksPerMeasure
            let slot = Int((Double(position) / Double(Score.ticksPerEighth)).rounded())
            let offset = position - slot * Score.ticksPerEighth
            // Downbeats loosen only late (0…4 ticks): the even slots are measured off them.
            if slot % 2 == 1 { odd.append(offset) } else if slot % 4 != 0 { even.append(offset) }
        }
        guard !odd.isEmpty, !even.isEmpty else { return nil }
        func median(_ a: [Int]) -> Int { a.sorted()[a.count / 2] }
        return (median(odd), median(even), odd.count)
    }

    @Test func eachSongSwingsAsItsSeedChoseAndTheFilePlaysIt() throws {
        let songs = try ArrangementTests.playlist()
        var chosen: [[Int]] = [], measuredSongs = 0
        for (i, song) in songs.enumerated() {
            var row: [Int] = []
            for seed in 1...3 as ClosedRange<UInt64> {
                let score = Arranger().arrange(song, seed: seed)
                row.append(score.swing)
                #expect(score.swing == 0 || (38...72).contains(score.swing), "swing \(score.swing) of song \(i) seed \(seed)")
                // A song whose melody is all rests, or only on downbeats, shows no swing.
                guard let measured = Self.measuredSwing(try MIDIReader.read(try score.midiData)) else { continue }
                measuredSongs += 1
                // Every onset is its grid tick (plus the swing on odd eighths) loosened by at
                // most 4 ticks either way, so each median is too; the least swing is 38.
                #expect(measured.count >= 8, "\(measured.count) odd-eighth notes in song \(i)")
                #expect(abs(measured.even) <= 4, "even eighths \(measured.even) ticks off the grid in song \(i) seed \(seed)")
                #expect(abs(measured.odd - score.swing) <= 4,
                        "odd eighths \(measured.odd) ticks late, swing \(score.swing), in song \(i) seed \(seed)")
            }
            chosen.append(row)
        }
        print("swing by song and seed: \(chosen), measured in \(measuredSongs) files")
        #expect(measuredSongs >= 20, "the melody shows the swing in most of the 27 files")
        #expect(chosen == Self.pinned, "each song's swing comes from its seed")
        // The pin is not degenerate: straight and swung songs, several amounts.
        let all = chosen.flatMap { $0 }
        #expect(all.contains(0) && Set(all.filter { $0 > 0 }).count >= 5)
    }
}
