import Foundation
import Testing
@testable import Studio

/// Lyrics2Lofi end to end in the library: text → song → karaoke MIDI and timed lyrics.
@Suite struct LyricsSongTests {
    static let model = PlaylistTests.model
    static let stanza = """
        City lights are fading slowly
        I walk home beneath the rain
        Every window holds a beautiful story

        Nobody knows the way
        """

    func make(_ text: String, seed: UInt64 = 0, configure: (inout LyricsSong) -> Void = { _ in }) throws -> LyricsSong.Result {
        var maker = LyricsSong()
        maker.seed = seed
        configure(&maker)
        return try maker.make(try LyricText.parse(text), model: Self.model)
    }

    @Test func theSongHasOneMeasurePerLineAndASyllablePerOnset() throws {
        let text = try LyricText.parse(Self.stanza)
        let r = try make(Self.stanza)
        let song = r.song
        // 8, 7, 11 and 6 syllables: 1 + 1 + 2 + 1 measures.
        #expect(text.lines.map(\.syllableCount) == [8, 7, 11, 6])
        #expect(song.progression.count == 5)
        #expect(song.title == "City lights are fading slowly")
        #expect(song.id?.hasPrefix("#") == true && song.id?.count == 25)
        let lyrics = try #require(song.lyrics)
        // Every syllable in order, each on a note that starts there (not a rest, not a hold).
        let sung = lyrics.flatMap { $0 }.compactMap { $0 }
        #expect(sung == text.lines.flatMap { $0.sungSyllables.map(\.text) })
        for (m, row) in lyrics.enumerated() {
            for (s, syllable) in row.enumerated() {
                let v = song.melodies[m][s]
                if syllable != nil {
                    #expect(v != 0 && (s == 0 || v != song.melodies[m][s - 1]), "measure \(m) slot \(s): a syllable needs a new note")
                } else if v != 0 && (s == 0 || v != song.melodies[m][s - 1]) {
                    Issue.record("measure \(m) slot \(s): a note without a syllable")
                }
            }
        }
        // Lines start on the downbeat of their first measure; the continuation of the long
        // line (measure 3) breathes on its downbeat.
        #expect(lyrics.map { $0[0] != nil } == [true, true, true, false, true])
        #expect(song.melodies[3][0] == 0)
        #expect(song.problems().isEmpty)
    }

    @Test func theKaraokeMIDIAndTheLRCAgreeWithTheSong() throws {
        let song = try make(Self.stanza).song
        let score = Arranger().arrange(song, seed: 3)
        let file = try MIDIReader.read(try score.midiData)
        let melody = try #require(file.tracks.first { $0.name == "melody" })
        var onsets: Set<Int> = []
        var lyrics: [(tick: Int, text: String)] = []
        for e in melody.events {
            switch e.message {
            case let .noteOn(_, _, velocity) where velocity > 0: onsets.insert(e.tick)
            case let .meta(0x05, data): lyrics.append((e.tick, String(decoding: data, as: UTF8.self)))
            default: break
            }
        }
        // One lyric event per syllable per melody pass, each at a note onset.
        let passes = score.measures.filter(\.hasMelody).count / song.progression.count
        let syllables = song.lyrics!.flatMap { $0 }.compactMap { $0 }
        #expect(passes >= 2)
        #expect(lyrics.count == syllables.count * passes)
        for l in lyrics { #expect(onsets.contains(l.tick), "lyric '\(l.text)' at \(l.tick) is not on a melody onset") }
        // Karaoke spelling: "/" opens every line but the first; words end with a space.
        #expect(lyrics.prefix(8).map(\.text) == ["Ci-", "ty ", "lights ", "are ", "fad-", "ing ", "slow-", "ly "])
        #expect(lyrics[8].text == "/I ")
        // A line opens at the downbeat of a measure (the melody's looseness is 0…4 ticks there).
        for l in lyrics where l.text.hasPrefix("/") { #expect(l.tick % Score.ticksPerMeasure <= 4) }
        #expect(lyrics.filter { $0.text.hasPrefix("/") }.count == 4 * passes - 1)

        // .lrc times: the MIDI's own tempo (µs per quarter) and division turn the line ticks into seconds.
        guard case let .meta(0x51, t)? = file.tracks[0].events.first(where: { if case .meta(0x51, _) = $0.message { true } else { false } })?.message else {
            Issue.record("no tempo"); return
        }
        let micros = Double(Int(t[0]) << 16 | Int(t[1]) << 8 | Int(t[2]))
        let lineTicks = lyrics.enumerated().filter { $0.offset == 0 || $0.element.text.hasPrefix("/") }.map(\.element.tick)
        let lrc = TimedLyrics(score: score).text.split(separator: "\n").dropFirst(2)
        #expect(lrc.count == lineTicks.count)
        for (line, tick) in zip(lrc, lineTicks) {
            let stamp = line.dropFirst().prefix(8)   // mm:ss.xx
            let seconds = Double(stamp.prefix(2))! * 60 + Double(stamp.dropFirst(3))!
            let expected = Double(tick) * micros / 1e6 / Double(file.division)
            #expect(abs(seconds - expected) <= 0.005 + 1e-9, "\(line): \(expected) s")
        }
        #expect(lrc.first == "[00:\(String(format: "%05.2f", Double(lineTicks[0]) * micros / 1e6 / 480))]City lights are fading slowly")
    }

    @Test func sameTextAndSeedGiveTheSameSongAndAnotherSeedAnother() throws {
        let a = try make(Self.stanza, seed: 5), b = try make(Self.stanza, seed: 5), c = try make(Self.stanza, seed: 6)
        #expect(a.song.jsonString() == b.song.jsonString())
        #expect(try Arranger().arrange(a.song, seed: 5).midiData == Arranger().arrange(b.song, seed: 5).midiData)
        #expect(a.song.id != c.song.id)
    }

    @Test func overridesWinAndTheSearchFollowsTheMood() throws {
        let r = try make(Self.stanza) { $0.valence = 0.9; $0.energy = 0.2; $0.mode = 6; $0.bpm = 72 }
        #expect(r.song.valence == 0.9 && r.song.energy == 0.2 && r.song.mode == 6 && r.song.bpm == 72)
        // The chosen candidate is the nearest of all on the mood among those in the mode.
        var maker = LyricsSong()
        maker.valence = 0.9; maker.energy = 0.2; maker.mode = 6
        let seed = fnv1a64(try LyricText.parse(Self.stanza).lines.map(\.text).joined(separator: "\n").utf8)
        let candidates = try Self.model.studioSongs(for: LatentSampler(seed: seed).latents(count: maker.candidates))
        func mood(_ i: Int) -> Double { pow(candidates[i].valence - 0.9, 2) + pow(candidates[i].energy - 0.2, 2) }
        let inMode = candidates.indices.filter { candidates[$0].mode == 6 }
        try #require(!inMode.isEmpty)
        #expect(candidates[r.candidate].mode == 6)
        // No candidate in the mode is nearer on the mood by more than the length term can weigh (0.01).
        for i in inMode { #expect(mood(r.candidate) <= mood(i) + 0.01, "candidate \(i) is nearer") }
    }

    @Test func aLongTextIsCutAtFiftyMeasuresWithANote() throws {
        let text = (1...60).map { "line number \($0) of the song" }.joined(separator: "\n")
        let r = try make(text)
        #expect(r.song.progression.count == 50)
        #expect(r.linesSung == 50 && r.linesInText == 60)
        #expect(r.notes == ["the text has 60 lines; a song holds at most 50 measures, so the first 50 lines are sung"])
    }
}
