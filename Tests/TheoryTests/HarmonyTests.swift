import Foundation
import Testing
@testable import Theory

/// Extended chords and voice leading, measured on the written keys part read back from MIDI.
@Suite struct HarmonyTests {
    /// Chords of the keys part: notes struck together (the voices spread by 3 ticks each).
    static func strikes(_ notes: [ReadNote]) -> [[Int]] {
        var out: [[ReadNote]] = []
        for n in notes {
            if let last = out.last?.first, n.start - last.start <= 12 { out[out.count - 1].append(n) } else { out.append([n]) }
        }
        return out.map { $0.map(\.pitch).sorted() }
    }

    @Test func ninthChordsContainTheNinthAndAreVoiceLed() throws {
        var ninths = 0, elevenths = 0, moves = 0
        for song in try ArrangementTests.playlist() {
            let tonic = song.key - 1
            let scale = TheoryTables.scale(tonic: tonic, mode: song.mode)
            for seed: UInt64 in 0...3 {
                let score = Arranger().arrange(song, seed: seed)
                let (_, parts) = try readBack(try score.midiData)
                for m in score.measures where m.chord != 0 {
                    let from = m.index * 1920
                    let pcs = Set(parts["chords"]!.filter { $0.start >= from && $0.start < from + 1600 }.map { $0.pitch % 12 })
                    let root = scale[m.chord - 1], third = scale[(m.chord + 1) % 7], fifth = scale[(m.chord + 3) % 7]
                    let ninth = scale[m.chord % 7], eleventh = scale[(m.chord + 2) % 7]
                    if pcs.contains(ninth) && !pcs.contains(fifth) {
                        // A ninth chord: root, third, seventh and a major ninth.
                        #expect(pcs.contains(root) && pcs.contains(third) && (ninth - root + 12) % 12 == 2)
                        ninths += 1
                    }
                    if pcs.contains(eleventh) && !pcs.contains(fifth) {
                        #expect((third - root + 12) % 12 == 3 && (eleventh - root + 12) % 12 == 5, "an eleventh only on a minor chord")
                        elevenths += 1
                    }
                }
                let chords = Self.strikes(parts["chords"]!)
                for (a, b) in zip(chords, chords.dropFirst()) where a.count == 4 && b.count == 4 && a != b {
                    let largest = zip(a, b).map { abs($0 - $1) }.max()!
                    #expect(largest <= Voicing.maxVoiceMove, "a voice leaps \(largest) semitones: \(a) → \(b) in \(song.displayTitle)")
                    moves += 1
                }
            }
        }
        #expect(ninths > 20 && elevenths > 0 && moves > 300, "\(ninths) ninths, \(elevenths) elevenths, \(moves) chord changes")
    }

    @Test func compingVariesBetweenThePasses() throws {
        // The A and B passes comp differently (different onsets within the measure) in most songs.
        var differing = 0
        for song in try ArrangementTests.playlist() {
            let score = Arranger().arrange(song, seed: 1)
            let keys = score.part(.chords)!.notes
            func onsets(_ v: Variation) -> Set<Int> {
                Set(score.measures.filter { $0.section == .main && $0.variation == v }.flatMap { m in
                    keys.filter { $0.start >= m.index * 1920 && $0.start < m.index * 1920 + 1600 }.map { ($0.start - m.index * 1920) / 120 }
                })
            }
            if onsets(.a) != onsets(.b) { differing += 1 }
        }
        #expect(differing >= 7)
    }
}
