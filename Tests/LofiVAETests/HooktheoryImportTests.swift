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
}
