import Testing
@testable import Theory

/// Hand-written music-theory facts, independent of the product's step arrays:
/// the twelve major scales as a theory book spells them, and the definition of the church
/// modes as rotations of a major scale.
enum TheoryTables {
    static let majorScales: [String: [String]] = [
        "C": ["C", "D", "E", "F", "G", "A", "B"],
        "D♭": ["D♭", "E♭", "F", "G♭", "A♭", "B♭", "C"],
        "D": ["D", "E", "F♯", "G", "A", "B", "C♯"],
        "E♭": ["E♭", "F", "G", "A♭", "B♭", "C", "D"],
        "E": ["E", "F♯", "G♯", "A", "B", "C♯", "D♯"],
        "F": ["F", "G", "A", "B♭", "C", "D", "E"],
        "F♯": ["F♯", "G♯", "A♯", "B", "C♯", "D♯", "E♯"],
        "G♭": ["G♭", "A♭", "B♭", "C♭", "D♭", "E♭", "F"],
        "G": ["G", "A", "B", "C", "D", "E", "F♯"],
        "A♭": ["A♭", "B♭", "C", "D♭", "E♭", "F", "G"],
        "A": ["A", "B", "C♯", "D", "E", "F♯", "G♯"],
        "B♭": ["B♭", "C", "D", "E♭", "F", "G", "A"],
        "B": ["B", "C♯", "D♯", "E", "F♯", "G♯", "A♯"],
    ]

    /// Pitch class of a spelled note: letter plus ♯/♭.
    static func pitchClass(_ name: String) -> Int {
        let naturals: [Character: Int] = ["C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11]
        var pc = naturals[name.first!]!
        for ch in name.dropFirst() { pc += ch == "♯" ? 1 : (ch == "♭" ? -1 : 0) }
        return (pc + 12) % 12
    }

    /// The mode's scale spelled: the major scale whose (mode−1)-th note is the tonic, rotated
    /// to start there. For the enharmonic pair F♯/G♭ the flat side is used, except where its
    /// tonic would be C♭ (Lydian).
    static func spelledScale(tonic: Int, mode: Int) -> [String] {
        let candidates = majorScales.values.filter { pitchClass($0[mode - 1]) == tonic }
        let row: [String]
        if candidates.count == 1 { row = candidates[0] } else {
            let flat = candidates.first { $0[0] == "G♭" }!
            let sharp = candidates.first { $0[0] == "F♯" }!
            row = flat[mode - 1] == "C♭" ? sharp : flat
        }
        return (0..<7).map { row[(mode - 1 + $0) % 7] }
    }

    static func scale(tonic: Int, mode: Int) -> [Int] { spelledScale(tonic: tonic, mode: mode).map(pitchClass) }

    /// Triad on a numeral: scale notes n, n+2, n+4.
    static func triad(tonic: Int, mode: Int, numeral: Int) -> [Int] {
        let s = scale(tonic: tonic, mode: mode)
        return [s[(numeral - 1) % 7], s[(numeral + 1) % 7], s[(numeral + 3) % 7]]
    }

    static func seventh(tonic: Int, mode: Int, numeral: Int) -> [Int] {
        triad(tonic: tonic, mode: mode, numeral: numeral) + [scale(tonic: tonic, mode: mode)[(numeral + 5) % 7]]
    }
}

@Suite struct MusicTheoryTests {
    @Test func triadsOfEveryNumeralInEveryKeyAndMode() {
        for tonic in 0..<12 {
            for mode in 1...7 {
                let key = Key(tonic: PitchClass(tonic), mode: Mode(rawValue: mode)!)
                for n in 1...7 {
                    let expected = TheoryTables.triad(tonic: tonic, mode: mode, numeral: n)
                    #expect(RomanNumeral(n)!.triad(in: key).map(\.semitone) == expected, "key \(tonic) mode \(mode) numeral \(n)")
                    #expect(RomanNumeral(n)!.seventh(in: key).map(\.semitone) == TheoryTables.seventh(tonic: tonic, mode: mode, numeral: n))
                }
            }
        }
    }

    @Test func spellingFollowsTheMajorScaleTable() {
        for tonic in 0..<12 {
            for mode in 1...7 {
                let key = Key(tonic: PitchClass(tonic), mode: Mode(rawValue: mode)!)
                #expect(key.spelledScale == TheoryTables.spelledScale(tonic: tonic, mode: mode), "\(tonic) \(mode)")
            }
        }
    }

    @Test func keyNamesAsAMusicianWritesThem() {
        let expected: [(Int, Int, String)] = [
            (1, 1, "C major"), (2, 1, "D♭ major"), (4, 1, "E♭ major"), (7, 1, "G♭ major"), (9, 1, "A♭ major"),
            (11, 1, "B♭ major"), (12, 1, "B major"), (2, 6, "C♯ minor"), (4, 6, "E♭ minor"), (7, 6, "F♯ minor"),
            (9, 6, "G♯ minor"), (11, 6, "B♭ minor"), (10, 6, "A minor"), (3, 2, "D Dorian"), (5, 3, "E Phrygian"),
            (12, 4, "B Lydian"), (8, 5, "G Mixolydian"), (12, 7, "B Locrian"), (6, 4, "F Lydian"),
        ]
        for (k, m, name) in expected { #expect(Key(songKey: k, songMode: m)!.name == name) }
    }

    @Test func numeralQualitiesInMajorAndMinor() {
        let major = Key(songKey: 1, songMode: 1)!
        #expect((1...7).map { RomanNumeral($0)!.symbol(in: major) } == ["I", "ii", "iii", "IV", "V", "vi", "vii°"])
        let minor = Key(songKey: 10, songMode: 6)!
        #expect((1...7).map { RomanNumeral($0)!.symbol(in: minor) } == ["i", "ii°", "III", "iv", "v", "VI", "VII"])
    }

    @Test func melodyDegreesToPitchesInEveryKeyAndMode() {
        for tonic in 0..<12 {
            for mode in 1...7 {
                let key = Key(tonic: PitchClass(tonic), mode: Mode(rawValue: mode)!)
                let scale = TheoryTables.scale(tonic: tonic, mode: mode)
                let base = 60 + tonic
                // Walk up the scale: each step is the next scale note above the previous pitch.
                var expected = [base]
                for d in 2...15 {
                    var p = expected.last! + 1
                    while (p % 12) != scale[(d - 1) % 7] { p += 1 }
                    expected.append(p)
                }
                for d in 1...15 {
                    #expect(MelodyDegree(d)!.midiNote(in: key, baseTonic: base) == expected[d - 1], "\(tonic) \(mode) degree \(d)")
                }
                #expect(MelodyDegree(0)!.midiNote(in: key, baseTonic: base) == nil)
            }
        }
    }

    @Test func equalNeighboursAreOneHeldNote() {
        let events = MelodyDegree.events(in: [0, 6, 6, 6, 5, 0, 0, 5])
        #expect(events.map(\.degree.value) == [6, 5, 5])
        #expect(events.map(\.start) == [1, 4, 7])
        #expect(events.map(\.length) == [3, 1, 1])
    }

    @Test func voiceLeadingMovesLessThanRootPosition() {
        let key = Key(songKey: 1, songMode: 1)!
        let progression = [1, 6, 4, 5, 1, 2, 5, 1]
        var previous: Voicing?
        var led = 0, rooted = 0
        var previousRoot: [Int]?
        for n in progression {
            let tones = RomanNumeral(n)!.seventh(in: key)
            let v = Voicing.leading(to: tones, from: previous)
            // Every voicing holds exactly the chord's four pitch classes.
            #expect(Set(v.pitches.map { $0 % 12 }) == Set(tones.map(\.semitone)))
            let root = tones.map { 48 + ($0.semitone - tones[0].semitone + 12) % 12 + tones[0].semitone }
            if let p = previous { led += zip(p.pitches, v.pitches).map { abs($0 - $1) }.reduce(0, +) }
            if let r = previousRoot { rooted += zip(r, root).map { abs($0 - $1) }.reduce(0, +) }
            previous = v
            previousRoot = root
        }
        #expect(led * 2 < rooted, "voice-led movement \(led) vs root position \(rooted)")
    }
}
