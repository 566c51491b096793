/// Turns a Song into a lo-fi arrangement: an intro on the first chords, a main section that
/// repeats the progression to at least `minimumMainMeasures`, and an outro that comes back to
/// the first chords and lets the last one ring. Every choice (style variations, swing,
/// humanisation) comes from `seed` folded with the song's content, so (song, seed) → one Score.
public struct Arranger: Sendable {
    public var minimumMainMeasures = 24
    public var introMeasures = 2
    /// Main-section measures per drum loop; the drummer fills at the end of each loop.
    public var minimumLoopMeasures = 4
    /// Only one pass of the main section, repeated to at least `loopMeasures`: a seamless loop
    /// (no intro, no outro, one drum loop ending in a fill).
    public var loopOnly = false
    public var loopMeasures = 8
    /// The melody's General MIDI program instead of the style's: `voiceProgram` sings it.
    public var melodyProgram: Int?
    /// GM "Voice Oohs" (program 54, 0-based 53): a wordless voice for lyrics.
    public static let voiceProgram = 53

    public init() {}

    /// The arranger for a seamless loop.
    public static var loop: Arranger { var a = Arranger(); a.loopOnly = true; return a }

    public func arrange(_ song: Song, seed: UInt64 = 0) -> Score {
        var rng = SplitMix64(seed: seed ^ fnv1a64(song.jsonString(pretty: false).utf8))
        let key = song.musicalKey
        var style = ArrangementStyle.forMood(energy: song.energy, valence: song.valence)
        if let melodyProgram { style.melodyProgram = melodyProgram }
        let plan = form(for: song, style: style, rng: &rng)
        var writer = PartWriter(song: song, key: key, style: style, rng: rng)
        writer.write(plan)
        return Score(title: song.displayTitle, bpm: song.bpm, key: key, styleName: style.name,
                     swing: writer.swing, groove: writer.groove, measures: plan, parts: writer.parts(), lyrics: writer.lyrics)
    }

    /// The measure plan: which chord each measure plays and which parts are in.
    func form(for song: Song, style: ArrangementStyle, rng: inout SplitMix64) -> [MeasurePlan] {
        let chords = song.progression
        let n = max(chords.count, 1)
        let sounding = chords.indices.filter { chords[$0] != 0 }
        let openers: [Int] = switch sounding.count {
        case 0: [0, min(1, n - 1)]
        case 1: [sounding[0], sounding[0]]
        default: [sounding[0], sounding[1]]
        }
        var plan: [MeasurePlan] = []
        func add(_ section: Section, _ i: Int, melody: Bool = false, doubled: Bool = false, drums: DrumFill = .none,
                 variation: Variation = .a) {
            let c = i < chords.count ? chords[i] : 0
            plan.append(MeasurePlan(index: plan.count, section: section, chordIndex: i, chord: c,
                                    hasHarmony: c != 0, hasMelody: melody, melodyDoubled: doubled,
                                    drums: c == 0 ? .none : drums, variation: variation))
        }
        if !loopOnly { for m in 0..<introMeasures { add(.intro, openers[m % openers.count]) } }

        let passes = max(1, ((loopOnly ? loopMeasures : minimumMainMeasures) + n - 1) / n)
        let loop = loopOnly ? passes * n : n * max(1, (minimumLoopMeasures + n - 1) / n)
        let mainCount = passes * n
        for m in 0..<mainCount {
            let pass = m / n
            // Passes alternate A and B; the first B pass opens with a breakdown (hats only).
            let variation: Variation = passes > 1 && pass % 2 == 1 ? .b : .a
            let doubled = style.doublesMelody && variation == .b
            var drums: DrumFill = (m == mainCount - 1 || (m + 1) % loop == 0) ? .fill : .full
            if drums == .full && !loopOnly && pass == 1 && m % n < min(2, n - 1) { drums = .hatsOnly }
            add(.main, m % n, melody: true, doubled: doubled, drums: drums, variation: variation)
        }
        if !loopOnly { for i in openers + [openers[0]] { add(.outro, i) } }
        return plan
    }
}
