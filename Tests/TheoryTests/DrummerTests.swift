import Foundation
import Testing
@testable import Theory

/// The drummer, measured in the MIDI file as the SMF reader reads it back, against the groove
/// the Score says was chosen. Grid positions are computed here from the swing figures.
@Suite struct DrummerTests {
    struct Played {
        let score: Score
        let drums: [ReadNote]
        let msPerTick: Double
    }

    static func played(seeds: ClosedRange<UInt64> = 0...2) throws -> [Played] {
        var out: [Played] = []
        for song in try ArrangementTests.playlist() {
            for seed in seeds {
                let score = Arranger().arrange(song, seed: seed)
                let (file, parts) = try readBack(try score.midiData)
                var micros = 0
                for e in file.tracks[0].events { if case .meta(0x51, let d) = e.message { micros = Int(d[0]) << 16 | Int(d[1]) << 8 | Int(d[2]) } }
                out.append(Played(score: score, drums: parts["drums"]!, msPerTick: Double(micros) / 480 / 1000))
            }
        }
        return out
    }

    /// The grid tick of sixteenth `step` in the measure at `from`, with both swings.
    static func grid(_ step: Int, from: Int, score: Score) -> Int {
        let eighth = step / 2
        let off = Int((score.groove.sixteenthSwing * 240).rounded())
        return from + eighth * 240 + (eighth % 2 == 1 ? score.swing : 0) + (step % 2 == 1 ? off : 0)
    }

    static let snares: Set<Int> = [37, 38]
    static let hats: Set<Int> = [42, 46]

    /// The groove measures (main section, drums in full).
    static func grooveMeasures(_ p: Played) -> [MeasurePlan] { p.score.measures.filter { $0.section == .main && $0.drums == .full } }

    /// Notes of beat `beat` of the measure at `from`, each with its sixteenth and its offset from
    /// that sixteenth's grid tick.
    static func beat(_ beat: Int, from: Int, _ p: Played) -> [(note: ReadNote, step: Int, offset: Int)] {
        let lo = from + beat * 480
        return p.drums.filter { $0.start >= lo && $0.start < lo + 480 }.map { n in
            let step = (4 * beat..<4 * beat + 4).min { abs(n.start - grid($0, from: from, score: p.score)) < abs(n.start - grid($1, from: from, score: p.score)) }!
            return (n, step, n.start - grid(step, from: from, score: p.score))
        }
    }

    @Test func offSixteenthHatsSwingByTheChosenRatio() throws {
        var pairs = 0
        var ratios: Set<Int> = []
        for p in try Self.played() {
            let chosen = p.score.groove.sixteenthSwing
            #expect(Groove.swingRange.contains(chosen))
            ratios.insert(Int((chosen * 240).rounded()))
            for m in Self.grooveMeasures(p) {
                for b in 0..<4 {
                    let hats = p.drums.filter { Self.hats.contains($0.pitch) && $0.start >= m.index * 1920 + b * 480 && $0.start < m.index * 1920 + (b + 1) * 480 }
                    guard hats.count >= 2, hats[1].start - hats[0].start < 200 else { continue }  // an eighth-note pattern
                    // Both hats share the beat's drift, so their distance is the swing alone.
                    let measured = Double(hats[1].start - hats[0].start) / 240
                    #expect(abs(measured - chosen) <= 0.5 / 240, "swing \(measured) against \(chosen) in \(p.score.title)")
                    pairs += 1
                }
            }
        }
        #expect(pairs > 500)
        #expect(ratios.count > 5, "the swing is chosen per song")
    }

    @Test func backbeatSnaresSitTenToTwentyFiveMillisecondsLateAndGhostsAreQuieter() throws {
        var backbeats = 0
        for p in try Self.played() {
            var loud: [Int] = [], ghosts: [Int] = []
            for m in Self.grooveMeasures(p) {
                for b in 0..<4 {
                    let notes = Self.beat(b, from: m.index * 1920, p)
                    let kit = notes.filter { !Self.snares.contains($0.note.pitch) }
                    for s in notes where Self.snares.contains(s.note.pitch) {
                        if s.step % 4 == 0 && b % 2 == 1 {
                            // The backbeat: its lag over the kit's drift on that beat.
                            let drift = kit.first { $0.step == s.step }?.offset
                            #expect(drift != nil, "a hat under the backbeat")
                            let lagMs = Double(s.offset - (drift ?? 0)) * p.msPerTick
                            #expect(Groove.snareLagRange.contains(lagMs), "snare \(lagMs) ms late in \(p.score.title)")
                            #expect(s.offset - (drift ?? 0) == p.score.groove.snareLag)
                            loud.append(s.note.velocity)
                            backbeats += 1
                        } else {
                            ghosts.append(s.note.velocity)
                        }
                    }
                }
            }
            #expect(!ghosts.isEmpty, "ghost notes in \(p.score.title)")
            #expect((ghosts.max() ?? 0) < (loud.min() ?? 0), "ghosts \(ghosts.max() ?? 0) against backbeats \(loud.min() ?? 0)")
        }
        #expect(backbeats > 500)
    }

    @Test func theKitDriftsAsOnePlayer() throws {
        for p in try Self.played() {
            var drifts: [(beat: Int, drift: Int)] = []
            var played = 0
            for m in p.score.measures where m.section == .main && m.drums != .none {
                for b in 0..<4 {
                    defer { played += 1 }
                    let notes = Self.beat(b, from: m.index * 1920, p)
                    func lagged(_ n: (note: ReadNote, step: Int, offset: Int)) -> Bool {
                        (m.drums != .fill || b < 2) && Self.snares.contains(n.note.pitch) && n.step % 4 == 0 && b % 2 == 1
                    }
                    let offsets = Set(notes.filter { !lagged($0) }.map(\.offset))
                    guard !notes.isEmpty else { continue }  // a fill's drop-out
                    #expect(offsets.count == 1, "drums on one beat share one offset: \(offsets.sorted()) in \(p.score.title) m\(m.index) b\(b)")
                    if let d = offsets.first { drifts.append((played, d)) }
                }
            }
            #expect(drifts.allSatisfy { (0...p.score.groove.driftLimit).contains($0.drift) })
            // Slowly wandering: it moves, at most a tick a beat.
            #expect(Set(drifts.map(\.drift)).count > 1)
            for (a, b) in zip(drifts, drifts.dropFirst()) { #expect(abs(a.drift - b.drift) <= b.beat - a.beat) }
        }
    }

    @Test func fillsAtLoopEndsVariedByTheSeed() throws {
        var fills: Set<[Int]> = []
        for p in try Self.played() {
            for m in p.score.measures where m.section == .main && m.drums != .none {
                let from = m.index * 1920
                let secondHalf = p.drums.filter { $0.start >= from + 960 && $0.start < from + 1920 }
                let toms = secondHalf.filter { DrumNote.toms.contains($0.pitch) }
                if m.drums == .fill {
                    #expect(secondHalf.filter { Self.hats.contains($0.pitch) }.isEmpty, "hats stop for the fill")
                    #expect(secondHalf.filter { Self.snares.contains($0.pitch) || DrumNote.toms.contains($0.pitch) }.count >= 3)
                    fills.insert(secondHalf.map { $0.pitch })
                } else {
                    #expect(toms.isEmpty, "toms outside a fill in \(p.score.title) m\(m.index)")
                }
            }
        }
        #expect(fills.count >= 4, "fills vary")
    }
}
