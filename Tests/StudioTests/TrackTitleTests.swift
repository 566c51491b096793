import Foundation
import Testing
@testable import Studio

@Suite struct TrackTitleTests {
    @Test func sampledSongsGetReadableUniqueTitlesAndKeepTheirHash() throws {
        let model = PlaylistTests.model
        let readable = try PriorSample().plan(count: 300, seed: 9, model: model).songs
        let hashed = try PriorSample(readableTitles: false).plan(count: 300, seed: 9, model: model).songs
        #expect(Set(readable.map(\.title)).count == 300)
        for (r, h) in zip(readable, hashed) {
            #expect(r.id == h.title && h.id == nil)
            let title = try #require(r.title)
            #expect(!title.hasPrefix("#") && title.split(separator: " ").count >= 2)
            #expect(title.allSatisfy { $0.isLetter || $0 == " " })
            // Everything but the title and id is the same song.
            var same = r
            same.title = h.title; same.id = nil
            #expect(same == h)
        }
        // A song's title does not depend on how many come after it.
        let three = try PriorSample().plan(count: 3, seed: 9, model: model).songs
        #expect(three.map(\.title) == readable.prefix(3).map(\.title))
    }

    @Test func titlesFollowTheMood() {
        // Hand-built songs: bright and lively vs dark and still; the words come from the matching lists.
        var rng = SplitMix64(seed: 1)
        let bright = Song(key: 1, mode: 1, bpm: 95, energy: 0.9, valence: 0.9, chords: [1], melodies: [[1, 0, 0, 0, 0, 0, 0, 0]])
        let dark = Song(key: 1, mode: 6, bpm: 70, energy: 0.1, valence: 0.1, chords: [1], melodies: [[1, 0, 0, 0, 0, 0, 0, 0]])
        for _ in 0..<200 {
            let b = Set(TrackTitle.draw(for: bright, rng: &rng).split(separator: " ").map(String.init))
            let d = Set(TrackTitle.draw(for: dark, rng: &rng).split(separator: " ").map(String.init))
            #expect(b.isDisjoint(with: TrackTitle.darkWords) && b.isDisjoint(with: TrackTitle.stillThings) && b.isDisjoint(with: TrackTitle.slowWords))
            #expect(d.isDisjoint(with: TrackTitle.brightWords) && d.isDisjoint(with: TrackTitle.livelyThings) && d.isDisjoint(with: TrackTitle.quickWords))
        }
        #expect(TrackTitle.romanNumeral(2) == "II" && TrackTitle.romanNumeral(14) == "XIV" && TrackTitle.romanNumeral(1999) == "MCMXCIX")
    }
}
