import Foundation
import Testing
import Theory
@testable import LofiVAE

@Suite struct HooktheoryImportTests {
    static var datasets: URL { Reference.shared.deletingLastPathComponent().appendingPathComponent("datasets") }

    /// The dataset's own MIDI renderings (`*_key.mid`, written by another program) through
    /// our SMF reader: all 14 parse, as format 1 with a conductor, melody and chord track, and
    /// the melody track sounds exactly as many notes as the section's JSON has non-rest notes.
    @Test func theSectionsOwnMIDIFilesReadBackWithTheirMelodies() throws {
        let root = Self.datasets.appendingPathComponent("hooktheory-sample")
        let files = (FileManager.default.enumerator(atPath: root.path)?.allObjects as? [String] ?? []).filter { $0.hasSuffix("_key.mid") }.sorted()
        #expect(files.count == 14)
        var notes = 0
        for file in files {
            let midi = try MIDIReader.read(Array(try Data(contentsOf: root.appendingPathComponent(file))))
            #expect(midi.format == 1 && midi.tracks.count == 3, "\(file)")
            guard midi.tracks.count == 3 else { continue }
            let played = midi.tracks[1].events.filter { if case .noteOn(_, _, let v) = $0.message { return v > 0 } else { return false } }.count
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent(file.replacingOccurrences(of: "_key.mid", with: "_roman.json")))) as? [String: Any]
            let melody = ((json?["tracks"] as? [String: Any])?["melody"] as? [[String: Any]]) ?? []
            let sounding = melody.filter { ($0["isRest"] as? Bool) != true }.count
            #expect(played == sounding, "\(file): \(played) melody notes in the MIDI file, \(sounding) in the JSON")
            notes += played
        }
        #expect(notes > 500, "\(notes) melody notes compared")
    }

    @Test func everySampleFileMatchesTheReferencePreprocessing() throws {
        let ref = try JSONSerialization.jsonObject(with: Data(contentsOf: Reference.shared.appendingPathComponent("hooktheory_processed.json"))) as! [String: [String: Any]]
        #expect(ref.count == 14)
        var compared = 0, skipped = 0
        for (path, expected) in ref {
            let data = try Data(contentsOf: Self.datasets.appendingPathComponent("hooktheory-sample").appendingPathComponent(path))
            if expected["error"] != nil {
                #expect(throws: SkipError.self, "\(path) should be skipped") { try HooktheoryImporter.section(data) }
                skipped += 1
                continue
            }
            let s = try HooktheoryImporter.section(data)
            let n = expected["num_chords"] as! Int
            #expect(s.key == expected["key"] as! Int && s.mode == expected["mode"] as! Int, "\(path) key/mode")
            #expect(s.chords.count == n, "\(path) chord count")
            // The reference pads to the end token: chords with 8 to 51, notes with 0 to 408.
            #expect(s.chords + Array(repeating: 8, count: 51 - n) == expected["chords"] as! [Int], "\(path) chords")
            #expect(s.melody + Array(repeating: 0, count: 408 - 8 * n) == expected["melody_notes"] as! [Int], "\(path) melody")
            compared += 1
        }
        #expect(compared == 10 && skipped == 4)
    }

    @Test func skippedSectionsSayWhy() throws {
        let url = Self.datasets.appendingPathComponent("hooktheory-sample/x/xyconstant/white-noise/chorus_roman.json")
        do {
            _ = try HooktheoryImporter.section(Data(contentsOf: url))
            Issue.record("accepted an empty section")
        } catch let e as SkipError {
            #expect(e.description.contains("empty or all rests"))
        }
    }

    /// A hand-made section in 4/4 whose empty measures sit in the middle and at the end
    /// (two-beat chord stabs, a bar of melody, rests between): DATASET.md step 6 deletes
    /// every measure whose chord slot and eight note slots are all rest, wherever it is, and
    /// only then keeps 50. The expected slots are worked out by hand from steps 4–6.
    @Test func emptyMeasuresGoWhereverTheyAre() throws {
        func event(_ degree: String?, _ on: Double, _ off: Double, octave: Int = 0, key: String) -> [String: Any] {
            var e: [String: Any] = ["event_on": on, "event_off": off, "isRest": degree == nil, "octave": octave]
            if let degree { e[key] = degree }
            return e
        }
        func section(chords: [[String: Any]], melody: [[String: Any]]) throws -> HooktheoryImporter.Section {
            let json: [String: Any] = ["metadata": ["key": "C", "mode": "1", "beats_in_measure": "4", "BPM": "80", "title": "t"],
                                       "tracks": ["chord": chords, "melody": melody]]
            return try HooktheoryImporter.section(JSONSerialization.data(withJSONObject: json))
        }
        // Eight measures (the rest at the end reaches beat 32): m0 chord I and a note, m1
        // rest, m2 two two-beat stabs (IV on beats 8–10 rounds to no slot, V on 10–12 to
        // slot 2), m3 and m4 rest, m5 a note and no chord, m6 and m7 rest.
        let s = try section(
            chords: [event("1", 0, 4, key: "sd"), event("4", 8, 10, key: "sd"), event("5", 10, 12, key: "sd"), event(nil, 12, 32, key: "sd")],
            melody: [event("1", 0, 1, key: "scale_degree"), event(nil, 1, 20, key: "scale_degree"), event("3", 20, 22, key: "scale_degree"),
                     event(nil, 22, 32, key: "scale_degree")])
        #expect(s.chords == [1, 5, 0])
        let m0: [Int] = [1, 1, 0, 0, 0, 0, 0, 0], m2: [Int] = [0, 0, 0, 0, 0, 0, 0, 0], m5: [Int] = [3, 3, 3, 3, 0, 0, 0, 0]
        #expect(s.melody == m0 + m2 + m5)

        // 52 measures with one empty in the middle (m10): the 50 kept are the first 50 of the
        // 51 that have something, so the last kept is m50 (degree 50 % 7 + 1 = 2).
        let measures: [Int] = (0..<52).filter { $0 != 10 }
        let stabs: [[String: Any]] = measures.map { (m: Int) -> [String: Any] in
            event(String(m % 7 + 1), Double(4 * m), Double(4 * m + 4), key: "sd")
        }
        let long = try section(chords: stabs, melody: [event("5", 0, 1, key: "scale_degree")])
        #expect(long.chords.count == 50)
        let firstFifty: [Int] = (0..<51).filter { $0 != 10 }.map { $0 % 7 + 1 }
        #expect(long.chords == firstFifty)
    }
}
