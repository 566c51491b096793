import Foundation
import Testing
import TestScratch
@testable import Studio

/// The playlist index as Studio reads it: names are checked before they are used as paths,
/// and a folder made with other settings (another soundfont of the same name) is refused.
@Suite struct PlaylistIndexTests {
    let scratch = ScratchSpace()
    func temp(_ name: String) throws -> URL { try scratch.folder("index-\(name)") }

    static let settings = PlaylistSettings(count: 1, seed: 1, model: "m", modelSHA256: "", format: "wav", sampleRate: 44100, loudness: -14,
                                           truePeak: -1, effects: "", soundfont: "x.sf2", constraints: nil, maxTries: nil, morph: nil)

    @Test func onlyNamesTheProducerGivesPass() throws {
        let names = ["audio": "001 - a.wav", "json": "001 - a.json", "midi": "001 - a.mid"]
        let track = PlaylistTrack(index: 1, seed: 1, title: "a", key: "C", mode: "Ionian", bpm: 80, energy: 0.5, valence: 0.5, duration: 1,
                                  files: names, sizes: names.mapValues { _ in 1 }, sha256: names.mapValues { _ in "" })
        var good = PlaylistIndex(settings: Self.settings, shard: nil, tracks: [track])
        #expect(good.problem() == nil)
        for bad in ["../../payload.txt", "001 - a/../../x.wav", ".001 - a.wav", "002 - a.wav", "001 - a.mid", "001 - a\u{0}.wav"] {
            good.tracks[0].files["audio"] = bad
            #expect(good.problem() != nil, "\(bad)")
        }
        // Read from a folder, a bad name is refused with the index named.
        let dir = try temp("names")
        try Data(good.jsonBytes()).write(to: dir.appendingPathComponent("playlist.json"))
        #expect { try PlaylistIndex.read(dir) } throws: { ($0 as? StudioError)?.input == dir.appendingPathComponent("playlist.json").path }
    }

    @Test func resumeRefusesAnotherSoundfontOfTheSameName() throws {
        let dir = try temp("sf")
        var settings = Self.settings
        settings.count = 2
        settings.soundfontSize = 10
        settings.soundfontSHA256 = "aa"
        try PlaylistIndex(settings: settings, shard: nil, tracks: []).write(to: dir)
        _ = try PlaylistProducer(dir: dir, settings: settings, shard: nil, audio: AudioSettings(), soundfont: "x", jobs: 1)
        settings.soundfontSHA256 = "bb"
        #expect(throws: StudioError.self) { _ = try PlaylistProducer(dir: dir, settings: settings, shard: nil, audio: AudioSettings(), soundfont: "x", jobs: 1) }
        // A shard is another record too.
        settings.soundfontSHA256 = "aa"
        #expect(throws: StudioError.self) {
            _ = try PlaylistProducer(dir: dir, settings: settings, shard: try PlaylistShard("0/2"), audio: AudioSettings(), soundfont: "x", jobs: 1)
        }
        // The job records the real file's size and hash (streamed, not loaded whole).
        let sf = dir.appendingPathComponent("a.sf2")
        try Data("RIFF0123".utf8).write(to: sf)
        let d = FileDigest.sha256(sf)!
        #expect(d.size == 8 && d.digest == "08e98cc7dd3201d7ec97ecfc484578c2751252da97d11b8139e36053decfb79c")   // sha256sum's figure
    }

    @Test func shardsSplitTheTracksAndRefuseNonsense() throws {
        let s = try PlaylistShard("1/3")
        #expect((0..<9).filter(s.selects) == [1, 4, 7])
        #expect(s.description == "1/3")
        for bad in ["3/3", "-1/3", "1/0", "1", "a/b", "1/2/3"] {
            #expect(throws: StudioError.self, "\(bad)") { try PlaylistShard(bad) }
        }
    }
}
