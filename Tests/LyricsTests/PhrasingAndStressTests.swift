import Testing
@testable import Lyrics

@Suite struct StressTests {
    /// Stressed syllables checked by hand.
    @Test func stressFallsWhereADictionaryPutsIt() throws {
        let s = try Syllabifier(language: "en")
        let expected: [(String, Int?)] = [
            ("happy", 0), ("beautiful", 0), ("about", 1), ("tonight", 1), ("remember", 1), ("forever", 1),
            ("opportunity", 2), ("emotion", 1), ("fantastic", 1), ("the", nil), ("and", nil), ("love", 0),
            ("together", 1), ("believe", 1), ("window", 0), ("electricity", 2), ("celebration", 2),
        ]
        for (w, i) in expected {
            let got = s.word(w).syllables.firstIndex(where: \.stressed)
            #expect(got == i, "\(w): \(s.word(w).syllables)")
        }
    }

    @Test func otherLanguagesUseTheirOwnPatterns() throws {
        let de = try Syllabifier(language: "de")
        #expect(de.word("Sommerabend").syllables.map(\.text) == ["Som", "mer", "a", "bend"])
        #expect(de.word("Liebe").syllables.count == 2)
        #expect(throws: LyricsError.self) { try Syllabifier(language: "xx") }
        #expect(throws: LyricsError.self) { try Syllabifier(language: "../etc") }
    }
}

@Suite struct TextTests {
    @Test func badTextsAreRefusedWithOneLine() {
        func message(_ bytes: [UInt8]) -> String? {
            do { _ = try LyricText.read(.init(bytes), source: "t.txt"); return nil } catch { return error.message }
        }
        #expect(message(Array("".utf8)) == "t.txt: the text is empty; write at least one line of words")
        #expect(message(Array(" \n\t\n ".utf8)) == "t.txt: the text is empty; write at least one line of words")
        #expect(message([0x68, 0x69, 0xFF, 0xFE]) == "t.txt: not valid UTF-8 text")
        #expect(message([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x00]) == "t.txt: binary data (a NUL byte at offset 6), not a text")
        #expect(message([0x61, 0x1B, 0x62]) == "t.txt: binary data (control character U+001B), not a text")
        #expect(message(Array(repeating: 0x61, count: 100 * 1024 + 1)) == "t.txt: 102401 bytes; a lyrics text holds at most 102400 bytes (100 KB)")
        #expect(message(Array("!!! ... ???".utf8)) == "t.txt: no words (only punctuation or symbols)")
        #expect(message(Array("la la".utf8)) == nil)
    }

    @Test func linesStanzasAndWords() throws {
        let t = try LyricText.parse("Don't stop,  now!\r\n\r\n\n'Cause heart-break is   over\n")
        #expect(t.lines.map(\.text) == ["Don't stop,  now!", "'Cause heart-break is   over"])
        #expect(t.lines.map(\.stanza) == [0, 1])
        #expect(t.lines[1].words.map(\.text) == ["'Cause", "heart", "break", "is", "over"])
        #expect(t.lines[1].sungSyllables.map(\.text) == ["'Cause", "heart", "break", "is", "o-", "ver"])
        // A contraction's own syllable is cut where it starts.
        #expect(try LyricText.parse("couldn't it'll don't").lines[0].sungSyllables.map(\.text) == ["could-", "n't", "it-", "'ll", "don't"])
    }
}
