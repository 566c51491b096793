import Foundation
import Testing
@testable import Studio

/// Constraints as people write them, against hand-derived tables, and the sources' plans.
@Suite struct SongSourceTests {
    @Test func keyNamesMapToTheSongJSONsKeyNumbers() {
        // C = 1 … B = 12 (DATASET.md); sharps and flats both ways, the Unicode signs too.
        let table: [String: Int?] = ["C": 1, "c": 1, "C#": 2, "Db": 2, "D♭": 2, "D": 3, "Eb": 4, "E": 5, "Fb": 5, "E#": 6, "F": 6,
                                     "F#": 7, "G♭": 7, "G": 8, "Ab": 9, "A": 10, "Bb": 11, "B♭": 11, "B": 12, "Cb": 12, "B#": 1,
                                     "1": 1, "12": 12, "13": nil, "0": nil, "H": nil, "Cx": nil, "": nil]
        for (text, key) in table { #expect(SongConstraints.key(named: text) == key, "\(text)") }
    }

    @Test func modeNamesMapToTheSongJSONsModeNumbers() {
        let table: [String: Int?] = ["major": 1, "Ionian": 1, "dorian": 2, "phrygian": 3, "lydian": 4, "mixolydian": 5, "minor": 6,
                                     "aeolian": 6, "LOCRIAN": 7, "7": 7, "8": nil, "blues": nil]
        for (text, mode) in table { #expect(SongConstraints.mode(named: text) == mode, "\(text)") }
    }

    @Test func rangesAndTheirProblems() throws {
        let c = try SongConstraints.parse(mode: "minor", key: "F#", bpm: "70-80", energy: "0.2 - 0.5", minChords: 4, maxChords: 6)
        #expect(c == SongConstraints(mode: 6, key: 7, bpm: 70...80, energy: 0.2...0.5, minChords: 4, maxChords: 6))
        #expect(try SongConstraints.parse().isEmpty)
        let problems: [(() throws -> SongConstraints, String)] = [
            ({ try SongConstraints.parse(bpm: "80-70") }, "bpm 80-70: the range is empty"),
            ({ try SongConstraints.parse(bpm: "400-500") }, "bpm 400-500: outside 20.0...300.0"),
            ({ try SongConstraints.parse(energy: "x") }, "energy x: expected a range like 0.0-1.0"),
            ({ try SongConstraints.parse(minChords: 5, maxChords: 4) }, "min-chords is above --max-chords: the range is empty"),
            ({ try SongConstraints.parse(mode: "blues") }, "mode blues: unknown; use major, minor, dorian, phrygian, lydian, mixolydian, locrian or 1…7"),
        ]
        for (make, line) in problems {
            #expect { _ = try make() } throws: { "\($0)" == line }
        }
    }

    @Test func latentFilesAreCheckedNumberByNumber() throws {
        let one = "[" + Array(repeating: "0.5", count: 100).joined(separator: ",") + "]"
        let (v, single) = try LatentFile.parse(Data(one.utf8))
        #expect(single && v.count == 1 && v[0].allSatisfy { $0 == 0.5 })
        let (two, s2) = try LatentFile.parse(Data("[\(one),\(one)]".utf8))
        #expect(!s2 && two.count == 2)
        let cases = ["[1,2]": "latent: 2 numbers; a latent vector has exactly 100",
                     "{}": "expected an array of 100 numbers or an array of such arrays",
                     "[" + Array(repeating: "1", count: 99).joined(separator: ",") + ",\"x\"]": "[99]: expected a number",
                     "[" + Array(repeating: "1", count: 99).joined(separator: ",") + ",1e9]": "[99]: 1000000000.0 is not a finite number of sensible size"]
        for (text, line) in cases {
            #expect { _ = try LatentFile.parse(Data(text.utf8)) } throws: { "\($0)" == line }
        }
    }

    @Test func numberedOutputsFollowTheCount() {
        let url = URL(fileURLWithPath: "/x/song.wav")
        #expect(OutputNames.numbered(url, index: 0, of: 1).path == "/x/song.wav")
        #expect(OutputNames.numbered(url, index: 4, of: 12).path == "/x/song-005.wav")
        #expect(OutputNames.numbered(url, index: 41, of: 1200).path == "/x/song-0042.wav")
        #expect(PlaylistNames.prefix(7, count: 10) == "007 - ")
    }
}
