import LofiVAE
import Lyrics

/// How one lyric line is sung over its measures: each syllable starts a note on the
/// eighth-note grid and holds it until the next; the line starts on the downbeat, ends with
/// a rest where there is room, and stressed syllables fall on beats where they can.
///
/// A line takes one measure of 8 slots, or more when it has more than 8 syllables: a
/// further measure opens with a breath (its slot 0 is a rest) and holds 7, so a syllable on
/// a slot 0 always begins a line (the song JSON and the karaoke marks rely on that).
public struct LinePhrasing: Sendable, Equatable {
    /// One slot: the syllable (karaoke spelling) that starts a note there, or what the
    /// melody does.
    public enum Slot: Sendable, Equatable {
        case syllable(String)
        case hold
        case rest
    }

    public var slots: [Slot]
    public var measures: Int { slots.count / 8 }

    /// Measures a line of `syllables` needs: 1 up to 8, then one per 7 more.
    public static func measures(forSyllables n: Int) -> Int { n <= 8 ? 1 : 1 + (n - 8 + 6) / 7 }

    public init(line: LyricLine) {
        let syllables = line.sungSyllables
        let n = syllables.count
        let measures = Self.measures(forSyllables: n)
        // Usable slots (absolute): all of the first measure, slots 1…7 of the others.
        let usable = (0..<(measures * 8)).filter { $0 < 8 || $0 % 8 != 0 }
        let k = usable.count
        let last = n < k ? k - 2 : k - 1   // leave the line's final slot a rest when there is room
        let ideal = Double(last) / Double(max(1, n - 1))

        func place(_ i: Int, _ a: Int) -> Double {
            let s = usable[a] % 8
            if syllables[i].stressed { return s % 2 == 1 ? 3 : (s % 4 == 0 ? -1 : 0) }
            return s % 4 == 0 && i > 0 ? 0.5 : 0
        }
        func gap(_ i: Int, _ g: Int) -> Double {
            syllables[i - 1].endsWord ? abs(Double(g) - ideal) * 0.5 : Double(g - 1) * 1.5
        }
        // cost[i][a]: best cost with syllable i at usable index a; the first at index 0.
        let inf = Double.infinity
        var cost = [[Double]](repeating: [Double](repeating: inf, count: k), count: max(n, 1))
        var from = [[Int]](repeating: [Int](repeating: -1, count: k), count: max(n, 1))
        if n > 0 { cost[0][0] = place(0, 0) }
        if n > 1 {
            for i in 1..<n {
                for a in i...(last - (n - 1 - i)) {
                    for b in (i - 1)..<a where cost[i - 1][b] < inf {
                        let c = cost[i - 1][b] + gap(i, a - b) + place(i, a)
                        if c < cost[i][a] { cost[i][a] = c; from[i][a] = b }   // ties keep the earliest
                    }
                }
            }
        }
        var at = [Int](repeating: 0, count: n)
        if n > 1 {
            var a = (0...last).min { cost[n - 1][$0] < cost[n - 1][$1] || (cost[n - 1][$0] == cost[n - 1][$1] && $0 < $1) }!
            for i in stride(from: n - 1, through: 0, by: -1) {
                at[i] = a
                a = i > 0 ? from[i][a] : 0
            }
        }
        var slots = [Slot](repeating: .rest, count: measures * 8)
        for i in 0..<n {
            let start = usable[at[i]]
            slots[start] = .syllable(syllables[i].text)
            // Held to the next syllable within the measure; the last one to the line's end
            // but its final slot.
            let end = i + 1 < n ? usable[at[i + 1]] : (n < k ? usable[k - 1] : measures * 8)
            var s = start + 1
            while s < end && s % 8 != 0 { slots[s] = .hold; s += 1 }
        }
        self.slots = slots
    }

    /// The decoder's rhythm for these slots.
    public var melodySlots: [MelodySlot] {
        slots.map { s in
            switch s {
            case .syllable: .onset
            case .hold: .hold
            case .rest: .rest
            }
        }
    }

    /// The song JSON's lyric rows for these slots.
    public var lyricRows: [[String?]] {
        stride(from: 0, to: slots.count, by: 8).map { m in
            slots[m..<(m + 8)].map { if case let .syllable(t) = $0 { t } else { nil } }
        }
    }
}
