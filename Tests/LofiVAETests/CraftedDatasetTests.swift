import Foundation
import Testing
import TestScratch
import Theory
@testable import LofiVAE

/// Dataset files crafted to break the importers (review defects 3, 4 and 15).
@Suite struct CraftedDatasetTests {
    let scratch = ScratchSpace()
    /// A TheoryTab section of one measure: a I chord and one tonic note, with the given
    /// melody event fields and BPM.
    func section(melodyOn: Any = 0, melodyOff: Any = 1, octave: Any = 0, bpm: String = "100") throws -> Data {
        let root: [String: Any] = [
            "metadata": ["key": "C", "mode": "1", "beats_in_measure": "4", "BPM": bpm, "title": "crafted"],
            "tracks": [
                "melody": [["scale_degree": "1", "octave": octave, "event_on": melodyOn, "event_off": melodyOff, "isRest": false]],
                "chord": [["sd": "1", "event_on": 0, "event_off": 4, "isRest": false]],
            ],
        ]
        return try JSONSerialization.data(withJSONObject: root)
    }

    func skipReason(_ data: Data) -> String? {
        do { _ = try HooktheoryImporter.section(data); return nil } catch { return "\(error)" }
    }

    @Test func theCraftedSectionIsReadAsTheRuleSays() throws {
        // One measure: chord I, the tonic on the first two of eight slots (beat 0–1 of 4).
        let s = try HooktheoryImporter.section(section())
        #expect(s.chords == [1] && s.melody == [1, 1, 0, 0, 0, 0, 0, 0] && s.bpm == 100)
    }

    @Test func aNonFiniteBPMIsTakenAsMissing() throws {
        for text in ["nan", "inf", "-inf"] {
            let s = try HooktheoryImporter.section(section(bpm: text))
            #expect(s.bpm == 90, "\(text)")
            // and the sample is valid JSON (a NaN bpm was written as `NaN`)
            let sample = try HooktheoryImporter.sample(s, group: "g")
            #expect(sample.song.problems().isEmpty)
        }
    }

    @Test func outOfRangeTimesAndOctavesSkipTheSection() throws {
        #expect(skipReason(try section(melodyOff: 1e20)) == "melody event 0 has event_off 1e+20 (times must be finite, 0…4096 beats)")
        #expect(skipReason(try section(melodyOn: 2, melodyOff: 1))?.hasPrefix("melody event 0 lasts from beat") == true)
        #expect(skipReason(try section(melodyOn: 1, melodyOff: 1))?.hasPrefix("melody event 0 lasts from beat") == true)
        #expect(skipReason(try section(melodyOn: -4, melodyOff: 1)) == "melody event 0 has event_on -4.0 (times must be finite, 0…4096 beats)")
        // An end without a start still sets the section's length: found by fuzzing, where an
        // end of 4·10¹⁰⁶ beats trapped converting the measure count to Int.
        #expect(skipReason(try section(melodyOn: "none", melodyOff: 4e106)) == "melody event 0 has event_off 4e+106 (times must be finite, 0…4096 beats)")
        #expect(skipReason(try section(octave: 4_611_686_018_427_387_904)) == "melody event 0 has octave 4611686018427387904 (an integer within ±16 expected)")
        #expect(skipReason(try section(octave: "4611686018427387904"))?.hasPrefix("melody event 0 has octave") == true)
        #expect(skipReason(try section(octave: 0.5))?.hasPrefix("melody event 0 has octave") == true)
        // In range, the same section is accepted.
        #expect(skipReason(try section(melodyOn: 3, melodyOff: 4, octave: -2)) == nil)
    }

    // MARK: POP909

    static var pop909: URL { Reference.shared.deletingLastPathComponent().appendingPathComponent("datasets/pop909") }

    /// A copy of POP909 song 001 under another folder name (its MIDI renamed to match).
    func copySong(as name: String, edit: ((URL) throws -> Void)? = nil) throws -> URL {
        let dir = scratch.path("pop909").appendingPathComponent(name)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let src = Self.pop909.appendingPathComponent("001")
        for f in ["beat_midi.txt", "chord_midi.txt", "key_audio.txt"] {
            try FileManager.default.copyItem(at: src.appendingPathComponent(f), to: dir.appendingPathComponent(f))
        }
        try FileManager.default.copyItem(at: src.appendingPathComponent("001.mid"), to: dir.appendingPathComponent("\(name).mid"))
        try edit?(dir)
        return dir
    }

    @Test func aNegativeSongNumberIsAName() throws {
        let r = POP909Importer().importSong(at: try copySong(as: "-1"))
        let reference = POP909Importer().importSong(at: Self.pop909.appendingPathComponent("001"))
        // Same measures and phrases skipped for the same reasons; only the phrase cuts (seeded
        // by the number) may differ.
        #expect(!r.samples.isEmpty && r.samples.allSatisfy { $0.group == "pop909/-1" })
        #expect(r.counts["measures read"] == reference.counts["measures read"])
    }

    @Test func aNaNBeatTimeSkipsTheSongWithItsLine() throws {
        let dir = try copySong(as: "002") { dir in
            let url = dir.appendingPathComponent("beat_midi.txt")
            var lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            lines[2] = "nan 1.0 0.0"
            try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        }
        let r = POP909Importer().importSong(at: dir)
        #expect(r.samples.isEmpty)
        #expect(r.counts == ["songs skipped: beat_midi.txt line 3: time nan is not within 0…86400 s": 1])
    }

    @Test func beatsOutOfOrderSkipTheSong() throws {
        let dir = try copySong(as: "003") { dir in
            let url = dir.appendingPathComponent("beat_midi.txt")
            var lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
            lines[3] = lines[1]
            try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        }
        let r = POP909Importer().importSong(at: dir)
        #expect(r.counts.keys.contains { $0.hasPrefix("songs skipped: beat_midi.txt: beat 4 at") })
    }

    @Test func theTempoMapAgreesWithTheWalkBitForBit() {
        // The walk from the start that the map replaces, as it was.
        func walk(_ tempos: [(tick: Int, micros: Int)], _ division: Double, _ tick: Int) -> Double {
            var s = 0.0, last = 0, micros = 500_000
            for t in tempos {
                if t.tick >= tick { break }
                s += Double(t.tick - last) * Double(micros) / division / 1e6
                last = t.tick
                micros = t.micros
            }
            return s + Double(tick - last) * Double(micros) / division / 1e6
        }
        var rng = SplitMix64(seed: 42)
        for _ in 0..<50 {
            var tempos: [(tick: Int, micros: Int)] = [(0, 300_000 + rng.int(in: 0...700_000))]
            for _ in 0..<rng.int(in: 0...40) {
                // Repeated ticks too: several changes at one tick, the last one wins.
                tempos.append((tempos.last!.tick + rng.int(in: 0...2) * rng.int(in: 0...900), 200_000 + rng.int(in: 0...900_000)))
            }
            let division = Double([96, 220, 480, 960][rng.int(in: 0...3)])
            let map = TempoMap(tempos, division: division)
            for _ in 0..<200 {
                let tick = rng.int(in: 0...(tempos.last!.tick + 2000))
                #expect(map.seconds(tick).bitPattern == walk(tempos, division, tick).bitPattern)
            }
            for t in tempos { #expect(map.seconds(t.tick) == walk(tempos, division, t.tick)) }
        }
    }

    // MARK: resume

    @Test func resumeNamesWhatDiffersAndHowToFixIt() {
        var saved = TrainingConfig()
        saved.workers = 2; saved.epochs = 70; saved.finalLearningRate = 5e-5; saved.teacherForcingShare = 0
        var here = saved
        #expect(here.resumeConflict(with: saved) == nil)
        here.workers = 4
        #expect(here.resumeConflict(with: saved) == "the saved run used other settings: --replicas 2 then, 4 now (--replicas defaults to the core count; pass --replicas 2 to resume on this machine)")
        here = saved
        here.epochs = 80
        #expect(here.resumeConflict(with: saved) == "the saved run used other settings: --epochs 70 then, 80 now (the learning-rate schedule is laid out over --epochs; resume with --epochs 70)")
        // A constant rate and no teacher forcing: more epochs continue the same run.
        saved.finalLearningRate = nil
        here = saved
        here.epochs = 80
        #expect(here.resumeConflict(with: saved) == nil)
        here.batchSize = 64
        #expect(here.resumeConflict(with: saved) == "the saved run used other settings: --batch-size 128 then, 64 now")
    }
}
