/// English spelling rules for the syllables hyphenation patterns leave joined.
///
/// Patterns are made to break lines, not to count syllables: even at a minimum of one letter
/// they leave "a-bout", "to-night" and "ci-ties" whole. Each piece the patterns give is
/// counted again here by its vowel groups, with the usual exceptions of English spelling,
/// and split where it holds more than one:
/// - a run of vowels is one group ("ea", "ou", "ai"), except the hiatus pairs "i"+vowel
///   (ra-di-o, li-on; not after c, s, t, x, g as in "-tion", "-cious", nor after a doubled
///   consonant or "n" as in "mil-lion", "on-ion"), "eo" (vid-e-o; not before "p" as in
///   "peo-ple"), "ua"/"uo"/"ue" after a consonant other than q or g, not word-final (cru-el,
///   ac-tu-al; not "blue", "guess"), and a final "ea" after another vowel group (i-de-a);
/// - "y" is a vowel unless a vowel follows it (yes, be-yond);
/// - a final "e" after a consonant is silent when the word has another vowel (love, fire),
///   and so is the stem's e before a suffix or a second word (lone-ly, care-ful-ly,
///   some-one), except a consonant + "le" (ta-ble, gen-tle-ness); "every-" is ev-ry;
/// - a final "-ed" is silent unless after t or d (loved, walked; want-ed), and a final "-es"
///   unless after s, x, z, c, g or ch/sh (times; pla-ces, wish-es);
/// - a final "-thm"/"-sm" sings its m (rhy-thm, pri-sm);
/// - "n't" after a consonant and "'ll" after a consonant are syllables of their own
///   (could-n't, it-'ll).
/// Known misses: words whose spelling hides a dropped vowel ("ev-e-ning" is counted three,
/// usually sung two) and "ie"/"oe" hiatus the patterns do not already split.
enum EnglishSyllables {
    static let vowels: Set<Character> = ["a", "e", "i", "o", "u", "y"]

    static func isVowel(_ w: [Character], _ i: Int) -> Bool {
        let c = w[i]
        guard vowels.contains(c) else { return false }
        // y before a vowel is a consonant (yes, be-yond), but not before a final e (bye, eye)
        if c == "y" && i == 4 && w.starts(with: "every") { return true }   // ev-ry-one
        if c == "y" { return !(i + 1 < w.count && vowels.contains(w[i + 1]) && w[i + 1] != "y" && !(i + 2 == w.count && w[i + 1] == "e")) }
        return true
    }

    /// The vowel runs of a word (lower-case letters), hiatus pairs split; `extraBreaks` are
    /// the patterns' breaks, which split a run where the rules did not (cre-ate, po-em).
    static func runs(_ w: [Character], extraBreaks: [Int]) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var i = 0
        while i < w.count {
            guard isVowel(w, i) else { i += 1; continue }
            var j = i + 1
            while j < w.count && isVowel(w, j) { j += 1 }
            var start = i
            for r in splitHiatus(w, i..<j) {
                for b in extraBreaks where b > start && b < r.upperBound && b > r.lowerBound {
                    runs.append(start..<b)
                    start = b
                }
                runs.append(start..<r.upperBound)
                start = r.upperBound
            }
            i = j
        }
        return runs
    }

    static let suffixes: Set<String> = ["ly", "ful", "fully", "ness", "less", "lessly", "ment", "ments", "some",
                                        "one", "thing", "body", "where", "time", "times", "way", "ways"]

    /// Drops the silent e's: a final e after a consonant (love, fire; not consonant + "le",
    /// ta-ble), the same e before a suffix (lone-ly, hope-ful), and final "-ed"/"-es" except
    /// after t/d and sibilants.
    static func dropSilent(_ w: [Character], _ runs: [Range<Int>]) -> [Range<Int>] {
        var out = runs
        // "every-" is sung ev-ry (ev'ry, ev-ry-one, ev-ry-thing).
        if w.starts(with: "every"), out.count > 2, out[1] == 2..<3 { out.remove(at: 1) }
        var k = out.count - 1
        while k >= 1 {
            let r = out[k]
            defer { k -= 1 }
            guard r.count == 1, w[r.lowerBound] == "e" else { continue }
            let e = r.lowerBound
            guard e > 0, !isVowel(w, e - 1) else { continue }
            let before = w[e - 1]
            let consonantLe = before == "l" && e > 1 && !isVowel(w, e - 2)
            let tail = String(w[(e + 1)...])
            var silent = false
            if tail.isEmpty {
                silent = !consonantLe
            } else if tail == "d" {
                silent = !"td".contains(before)
            } else if tail == "s" {
                let sibilant = "sxzcgj".contains(before) || (e > 1 && ["ch", "sh"].contains(String(w[(e - 2)..<e])))
                silent = !sibilant && !consonantLe
            } else if suffixes.contains(tail) {
                // the stem's e before a suffix ("lone" + "ly", "taste" + "ful")
                var c = e - 1, consonants = 0
                while c >= 0 && !isVowel(w, c) { c -= 1; consonants += 1 }
                silent = !consonantLe && (1...2).contains(consonants) && c >= 0
            }
            if silent { out.remove(at: k) }
        }
        // Final "-thm", "-sm": the m is sung as a syllable (rhyth-m, pri-sm).
        let word = String(w)
        if (word.hasSuffix("thm") || (word.hasSuffix("sm") && w.count > 3)), let last = out.last, last.upperBound < w.count - 1 {
            out.append((w.count - 1)..<w.count)
        }
        return out
    }

    /// Splits one run of vowels where English spelling keeps two syllables apart.
    static func splitHiatus(_ w: [Character], _ run: Range<Int>) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start = run.lowerBound
        for k in run.lowerBound..<(run.upperBound - 1) {
            let a = w[k], b = w[k + 1]
            let before: Character? = k > 0 ? w[k - 1] : nil
            let consonantBefore = before.map { !vowels.contains($0) } ?? false
            var split = false
            switch (a, b) {
            case ("i", "a"), ("i", "o"), ("i", "u"):
                let doubled = k > 1 && before == w[k - 2]
                split = k == run.lowerBound && consonantBefore && !"cstxgn".contains(before!) && !doubled
            case ("e", "o"):
                split = !(k + 2 < w.count && w[k + 2] == "p")
            case ("u", "a"), ("u", "o"), ("u", "e"):
                let final = run.upperBound == w.count || (run.upperBound == w.count - 1 && w[w.count - 1] == "s")
                split = consonantBefore && !(before.map { "qg".contains($0) } ?? false) && !final
            case ("e", "a"):
                split = run.upperBound == w.count && k + 2 == w.count && run.lowerBound > 0
                    && w[..<run.lowerBound].contains(where: { vowels.contains($0) })
            case ("y", _):
                split = k == 4 && w.starts(with: "every")
            default: break
            }
            if split {
                out.append(start..<(k + 1))
                start = k + 1
            }
        }
        out.append(start..<run.upperBound)
        return out
    }

    /// Where to cut a piece between its vowel groups: before a single consonant (ba-by),
    /// after the first of several (lit-tle), keeping ch/sh/th/ph/wh/gh/ck together.
    static func cuts(_ w: [Character], _ groups: [Range<Int>]) -> [Int] {
        var out: [Int] = []
        for (g1, g2) in zip(groups, groups.dropFirst()) {
            let consonants = g2.lowerBound - g1.upperBound
            var cut = g2.lowerBound
            if consonants == 1 {
                cut = w[g1.upperBound] == "x" ? g2.lowerBound : g1.upperBound
            } else if consonants >= 2 {
                let pair = String(w[g1.upperBound..<(g1.upperBound + 2)])
                cut = g1.upperBound + (["ch", "sh", "th", "ph", "wh", "gh", "ck"].contains(pair) ? 2 : 1)
                if cut >= g2.lowerBound { cut = g2.lowerBound - 1 }
            }
            out.append(cut)
        }
        return out
    }
}
