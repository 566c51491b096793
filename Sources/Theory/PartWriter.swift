/// Writes the notes of every part for a measure plan: voicings, bass line, melody,
/// arpeggio and drums, with swing and humanised timing and velocity.
struct PartWriter {
    let song: Song
    let key: Key
    let style: ArrangementStyle
    var rng: SplitMix64

    let swing: Int
    let groove: Groove
    /// Comping of the A pass and of the B pass.
    let comping: [Variation: SlotRhythm]
    let bassPattern: BassPattern
    /// MIDI note of melody degree 1: the tonic between G3 and F♯4.
    let melodyTonic: Int

    private var notes: [PartRole: [Note]] = [:]
    /// The syllables sung at melody onsets, in the order written (ticks ascend).
    private(set) var lyrics: [LyricEvent] = []
    private var drummer: Drummer

    static let eighth = Score.ticksPerEighth
    static let measure = Score.ticksPerMeasure

    init(song: Song, key: Key, style: ArrangementStyle, rng: SplitMix64) {
        self.song = song
        self.key = key
        self.style = style
        var r = rng
        // Slow songs swing more often; the off-beat delay gives a 58–65 % long-short ratio.
        swing = r.chance(song.bpm < 85 ? 0.65 : 0.4) ? r.int(in: 38...72) : 0
        let a = r.pick(style.compings)
        let others = style.compings.filter { $0 != a }
        comping = [.a: a, .b: others.isEmpty ? a : r.pick(others)]
        bassPattern = r.pick(BassPattern.patterns)
        let band = song.energy < 0.35 ? 0 : (song.energy < 0.65 ? 1 : 2)
        let pattern = r.pick(DrumPattern.byEnergy[band])
        groove = Groove.random(bpm: song.bpm, rng: &r)
        melodyTonic = 55 + PitchClass(key.tonic.semitone - 7).semitone
        drummer = Drummer(groove: groove, pattern: pattern, swing: swing, velocity: style.velocities[.drums] ?? 64,
                          rng: SplitMix64(seed: r.next()))
        self.rng = r
    }

    /// A measure's chord as the keys voice it.
    struct Harmony {
        let numeral: RomanNumeral
        let tones: [PitchClass]
        let voicing: Voicing
        /// Pitch classes of the seventh chord (the bass's root and fifth come from it).
        let seventh: [PitchClass]
    }

    mutating func write(_ plan: [MeasurePlan]) {
        // Voicings first, in order, so that a measure can push the next chord early.
        var harmonies: [Int: Harmony] = [:]
        var previous: Voicing?
        for m in plan where m.hasHarmony {
            guard let numeral = RomanNumeral(m.chord) else { continue }
            let extended = ChordExtension.allCases.filter { $0 != .seventh && numeral.allows($0, in: key) }
            let ext: ChordExtension = !extended.isEmpty && m.section == .main && rng.chance(style.extensionChance) ? rng.pick(extended) : .seventh
            let tones = numeral.tones(ext, in: key)
            let v = Voicing.leading(to: tones, from: previous)
            previous = v
            harmonies[m.index] = Harmony(numeral: numeral, tones: tones, voicing: v, seventh: numeral.seventh(in: key))
        }
        var anticipated = false
        for (i, m) in plan.enumerated() {
            let start = m.index * Self.measure
            let next = i + 1 < plan.count ? plan[i + 1] : nil
            let nextHarmony = next.flatMap { harmonies[$0.index] }
            if let h = harmonies[m.index] {
                let pushes = m.section == .main && next?.section == .main && nextHarmony != nil && rng.chance(style.anticipationChance)
                harmony(h, at: start, ringing: i == plan.count - 1 && m.section == .outro, rhythm: comping[m.variation]!,
                        skipsDownbeat: anticipated, pushes: pushes ? nextHarmony : nil,
                        pushHeld: next.map { comping[$0.variation]!.hits[0].length } ?? 1,
                        approaching: m.section == .main && next?.section == .main ? nextHarmony : nil)
                anticipated = pushes
            } else {
                anticipated = false
            }
            if m.hasMelody {
                melody(row: song.melodies[m.chordIndex], at: start, doubled: m.melodyDoubled, words: song.lyrics?[m.chordIndex])
            }
            drummer.play(m.drums, at: start)
        }
        notes[.drums] = drummer.notes
    }

    func parts() -> [Part] {
        PartRole.allCases.map { role in
            let program = switch role {
            case .chords: style.chordsProgram
            case .bass: style.bassProgram
            case .melody: style.melodyProgram
            case .arpeggio: style.arpeggioProgram
            case .drums: style.drumKit
            }
            let pan = [PartRole.chords: 54, .bass: 64, .melody: 72, .arpeggio: 84, .drums: 64][role]!
            let sorted = (notes[role] ?? []).sorted { ($0.start, $0.pitch) < ($1.start, $1.pitch) }
            return Part(role: role, program: program, volume: style.volumes[role] ?? 100, pan: pan, notes: sorted)
        }
    }

    // MARK: Timing and dynamics

    /// Tick of an eighth-note slot (0…8) in the measure starting at `start`, with swing.
    func tick(_ slot: Int, in start: Int) -> Int {
        start + slot * Self.eighth + (slot % 2 == 1 ? swing : 0)
    }

    /// A little looseness in time (the drums drift as one instead); never before the bar
    /// line on the downbeat.
    mutating func jitter(slot: Int) -> Int { rng.int(in: slot == 0 ? 0...4 : -4...4) }

    mutating func velocity(_ role: PartRole, accent: Int = 0) -> Int {
        min(127, max(1, (style.velocities[role] ?? 64) + accent + rng.int(in: -6...6)))
    }

    /// A syllable as the karaoke convention spells it: "/" before a line's first syllable (but
    /// the song's first), a space after a word's last one (a syllable without a trailing "-").
    mutating func lyric(_ syllable: String, at tick: Int, opensLine: Bool) {
        let text = (opensLine && !lyrics.isEmpty ? "/" : "") + syllable + (syllable.hasSuffix("-") ? "" : " ")
        lyrics.append(LyricEvent(tick: tick, text: text))
    }

    mutating func add(_ role: PartRole, pitch: Int, velocity: Int, start: Int, end: Int) {
        notes[role, default: []].append(Note(pitch: pitch, velocity: velocity, start: start, duration: max(10, end - start)))
    }

    // MARK: Parts

    /// One measure of keys, bass and arpeggio. `skipsDownbeat`: the previous measure already
    /// pushed this chord. `pushes`: play the next chord on this measure's last eighth.
    /// `pushHeld`: slots the pushed chord holds into the next measure. `approaching`: the next chord, which the bass may walk into.
    mutating func harmony(_ h: Harmony, at start: Int, ringing: Bool, rhythm: SlotRhythm,
                          skipsDownbeat: Bool, pushes: Harmony?, pushHeld: Int, approaching: Harmony?) {
        let v = h.voicing
        let root = 36 + h.seventh[0].semitone

        if ringing {
            let end = start + 2 * Self.measure - 60
            let vel = velocity(.chords)
            if !skipsDownbeat {
                for p in v.pitches { add(.chords, pitch: p, velocity: vel, start: start + jitter(slot: 0), end: end) }
            }
            add(.bass, pitch: root, velocity: velocity(.bass), start: start, end: end)
        } else {
            let limit = pushes == nil ? 8 : 7
            for hit in rhythm.hits where hit.slot < limit && !(skipsDownbeat && hit.slot == 0) {
                let on = tick(hit.slot, in: start) + jitter(slot: hit.slot)
                let off = tick(min(hit.slot + hit.length, limit), in: start) - 24
                stab(v, at: on, until: off, velocity: velocity(.chords, accent: hit.slot == 0 ? 4 : 0))
            }
            if let next = pushes {
                // The push: the next chord on the and of 4, held through the next downbeat's hit.
                let on = tick(7, in: start) + jitter(slot: 7)
                stab(next.voicing, at: on, until: tick(pushHeld, in: start + Self.measure) - 24, velocity: velocity(.chords, accent: 6))
            }
            var bassLimit = 8
            var approach: Int?
            if let next = approaching, next.seventh[0] != h.seventh[0], rng.chance(style.approachChance) {
                bassLimit = 7
                let target = 36 + next.seventh[0].semitone
                approach = rng.chance(0.6) ? target - 1 : target + 1
            }
            for hit in bassPattern.hits where hit.slot < bassLimit {
                let pitch = switch hit.tone {
                case .root: root
                case .fifth: 36 + h.seventh[2].semitone + (h.seventh[2].semitone < h.seventh[0].semitone ? 12 : 0)
                case .octave: root + 12
                }
                let on = tick(hit.slot, in: start) + jitter(slot: hit.slot)
                let off = tick(min(hit.slot + hit.length, bassLimit), in: start) - 20
                add(.bass, pitch: pitch, velocity: velocity(.bass, accent: hit.slot == 0 ? 8 : 0), start: on, end: off)
            }
            if let approach {
                let on = tick(7, in: start) + jitter(slot: 7)
                add(.bass, pitch: approach, velocity: velocity(.bass, accent: -6), start: on, end: tick(8, in: start) - 20)
            }
        }
        if style.hasArpeggio {
            // First-beat arpeggio: the chord rolled up in sixteenths an octave above the voicing.
            let sixteenth = Score.ticksPerQuarter / 4
            for (i, p) in v.pitches.enumerated() {
                let on = start + i * sixteenth + (i == 0 ? 0 : rng.int(in: -4...4))
                add(.arpeggio, pitch: p + 12, velocity: velocity(.arpeggio), start: on, end: start + 2 * Score.ticksPerQuarter)
            }
        }
    }

    /// The voicing struck once, its voices spread a few ticks as hands do.
    mutating func stab(_ v: Voicing, at on: Int, until off: Int, velocity vel: Int) {
        for (i, p) in v.pitches.enumerated() {
            add(.chords, pitch: p, velocity: max(1, vel - i), start: on + i * 3, end: off)
        }
    }

    mutating func melody(row: [Int], at start: Int, doubled: Bool, words: [String?]? = nil) {
        for event in MelodyDegree.events(in: row) {
            guard let pitch = event.degree.midiNote(in: key, baseTonic: melodyTonic) else { continue }
            let on = tick(event.start, in: start) + jitter(slot: event.start)
            if let words, event.start < words.count, let syllable = words[event.start] {
                lyric(syllable, at: on, opensLine: event.start == 0)
            }
            let off = tick(event.start + event.length, in: start) - 20
            let vel = velocity(.melody, accent: event.start % 2 == 0 ? 4 : 0)
            add(.melody, pitch: pitch, velocity: vel, start: on, end: off)
            if doubled { add(.melody, pitch: pitch + 12, velocity: max(1, vel - 18), start: on, end: off) }
        }
    }
}
