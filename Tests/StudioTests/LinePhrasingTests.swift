import Testing
@testable import Studio

@Suite struct LinePhrasingTests {
    func phrase(_ line: String) throws -> LinePhrasing { LinePhrasing(line: try LyricText.parse(line).lines[0]) }

    @Test func aShortLineSpreadsWithStressesOnBeatsAndEndsOnARest() throws {
        // "the RAIN is FALL-ing": 5 syllables, stressed 2nd and 4th; 7 slots free before the rest.
        let p = try phrase("the rain is falling")
        #expect(p.measures == 1)
        let onsets = p.slots.indices.filter { if case .syllable = p.slots[$0] { true } else { false } }
        #expect(onsets.first == 0)
        #expect(p.slots[7] == .rest)
        // stressed syllables (rain, fall-) on even slots
        let texts = p.slots.compactMap { if case let .syllable(t) = $0 { t } else { nil } }
        #expect(texts == ["the", "rain", "is", "fall-", "ing"])
        #expect(onsets[1] % 2 == 0 && onsets[3] % 2 == 0)
        // each syllable is held up to the next one
        for (a, b) in zip(onsets, onsets.dropFirst()) { #expect(p.slots[(a + 1)..<b].allSatisfy { $0 == .hold }) }
    }

    @Test func measuresPerLine() throws {
        #expect((1...30).map(LinePhrasing.measures(forSyllables:)) ==
                [1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 5])
        let eight = try phrase("one two three four five six sev en")
        #expect(eight.slots.allSatisfy { if case .syllable = $0 { true } else { false } })
        let long = try phrase("one two three four five six seven eight nine ten")   // 11 syllables
        #expect(long.measures == 2 && long.slots[8] == .rest && long.slots[15] == .rest)
    }
}
