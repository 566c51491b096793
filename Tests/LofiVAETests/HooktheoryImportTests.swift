import Foundation
import Testing
@testable import LofiVAE

@Suite struct HooktheoryImportTests {
    static var datasets: URL { Reference.shared.deletingLastPathComponent().appendingPathComponent("datasets") }

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
