import Foundation
import Testing
@testable import Theory

@Suite struct SongValidationTests {
    static let valid = """
        {"title": "t", "key": 3, "mode": 1, "bpm": 75, "energy": 0.5, "valence": 0.4,
         "chords": [1, 5], "melodies": [[0, 1, 1, 2, 3, 4, 5, 15], [8, 9, 10, 11, 12, 13, 14, 0]]}
        """

    /// Replaces one field of the valid song and returns the decode error text.
    func error(_ field: String, _ json: String) -> String {
        var obj = try! JSONSerialization.jsonObject(with: Data(Self.valid.utf8)) as! [String: Any]
        obj[field] = try! JSONSerialization.jsonObject(with: Data(json.utf8), options: .fragmentsAllowed)
        let data = try! JSONSerialization.data(withJSONObject: obj)
        do {
            _ = try Song.decode(data)
            return ""
        } catch {
            return error.message
        }
    }

    @Test func validSongDecodes() throws {
        let song = try Song.decode(Data(Self.valid.utf8))
        #expect(song.key == 3 && song.progression == [1, 5] && song.melodies[1][6] == 14)
    }

    @Test func keyRange() {
        #expect(error("key", "13").hasPrefix("key: 13 is outside 1...12"))
        #expect(error("key", "0").hasPrefix("key: 0"))
    }

    @Test func modeRange() { #expect(error("mode", "8").hasPrefix("mode: 8 is outside 1...7")) }

    @Test func bpmRangeAndFinite() {
        #expect(error("bpm", "19.5").hasPrefix("bpm: 19.5 is not a finite number in 20...300"))
        #expect(error("bpm", "301").hasPrefix("bpm:"))
        #expect(error("bpm", "\"fast\"").hasPrefix("bpm: expected a number"))
    }

    @Test func energyAndValenceRange() {
        #expect(error("energy", "1.5").hasPrefix("energy: 1.5 is not a finite number in 0...1"))
        #expect(error("valence", "-0.1").hasPrefix("valence: -0.1"))
    }

    @Test func chordValues() {
        #expect(error("chords", "[1, 9]").contains("chords[1]: 9 is outside 0...7"))
    }

    @Test func endTokenEndsTheList() throws {
        #expect(error("chords", "[1, 8, 3]").contains("chords[2]: 3 follows the end token 8"))
        // Trailing 8s are fine and do not count as chords.
        var obj = try JSONSerialization.jsonObject(with: Data(Self.valid.utf8)) as! [String: Any]
        obj["chords"] = [1, 5, 8, 8]
        let song = try Song.decode(try JSONSerialization.data(withJSONObject: obj))
        #expect(song.progression == [1, 5])
    }

    @Test func chordCount() {
        #expect(error("chords", "[8]").contains("chords: 0 chords before the end token; allowed 1...512"))
        let many = "[" + Array(repeating: "1", count: 513).joined(separator: ",") + "]"
        #expect(error("chords", many).contains("chords: 513 chords"))
    }

    @Test func oneMelodyRowPerChord() {
        #expect(error("melodies", "[[1,1,1,1,1,1,1,1]]").contains("melodies: 1 rows for 2 chords"))
        #expect(error("melodies", "[[1,1,1,1,1,1,1,1], [1,1,1]]").contains("melodies[1]: 3 values"))
    }

    @Test func melodyValues() {
        #expect(error("melodies", "[[1,1,1,1,1,1,1,1], [1,1,16,1,1,1,1,1]]").contains("melodies[1][2]: 16 is outside 0...15"))
        #expect(error("melodies", "[[1,1,1,1,1,1,1,1], [1,1,1.5,1,1,1,1,1]]").contains("melodies[1][2]: 1.5 is not a whole number"))
    }

    @Test func everyProblemIsReportedAtOnce() {
        let json = #"{"key": 0, "mode": 9, "bpm": 10, "energy": 2, "valence": "x", "chords": [1], "melodies": [[1]]}"#
        do {
            _ = try Song.decode(Data(json.utf8))
            Issue.record("decoded an invalid song")
        } catch {
            for field in ["key:", "mode:", "bpm:", "energy:", "valence:", "melodies[0]:"] {
                #expect(error.message.contains(field), "missing \(field) in \(error.message)")
            }
        }
    }

    @Test func missingFieldIsNamed() {
        do {
            _ = try Song.decode(Data(#"{"key": 1, "mode": 1, "bpm": 80, "energy": 0.5, "chords": [1], "melodies": [[1,1,1,1,1,1,1,1]]}"#.utf8))
            Issue.record("decoded without valence")
        } catch { #expect(error.message.contains("valence: missing")) }
    }

    @Test func malformedJSONSaysWhere() {
        do {
            _ = try Song.decode(Data("{\"key\": 1,\n \"mode\": [1, x]}".utf8))
            Issue.record("decoded malformed JSON")
        } catch { #expect(error.message.contains("malformed JSON") && error.message.contains("line 2, column")) }
    }

    @Test func missingTitleGetsAReadableDefault() throws {
        var obj = try JSONSerialization.jsonObject(with: Data(Self.valid.utf8)) as! [String: Any]
        obj["title"] = nil
        obj["key"] = 2
        let song = try Song.decode(try JSONSerialization.data(withJSONObject: obj))
        #expect(song.displayTitle == "Lofi track in D♭ major")
    }

    @Test func arrayDocumentsKeepGoodSongs() throws {
        let json = "[\(Self.valid), {\"key\": 99}]"
        let results = try Song.decodeDocument(Data(json.utf8))
        #expect(results.count == 2)
        #expect((try? results[0].get()) != nil)
        if case .failure(let e) = results[1] { #expect(e.message.contains("[1].key: 99")) } else { Issue.record("accepted bad song") }
    }

    @Test func canonicalJSONRoundTrips() throws {
        let song = try Song.decode(Data(Self.valid.utf8))
        #expect(try Song.decode(Data(song.jsonString().utf8)) == song)
        #expect(try Song.decode(Data(song.jsonString(pretty: false).utf8)) == song)
    }
}

@Suite struct JSONNumberTests {
    @Test func zeroesAreNumbersAndBooleansAreNot() throws {
        let values = try JSONSerialization.jsonObject(with: Data("[true, false, 0, 0.0, 1, -0.0, 2.5]".utf8)) as! [Any]
        #expect(values.map { Song.jsonNumber($0) } == [nil, nil, 0, 0, 1, 0, 2.5])
    }
}
