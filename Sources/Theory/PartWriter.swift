/// Writes the notes of every part for a measure plan: voicings, bass line, melody,
/// arpeggio and drums, with swing and humanised timing and velocity.
struct PartWriter {
    let song: Song
    let key: Key
    let style: ArrangementStyle
    var rng: SplitMix64

    let swing: Int
    let chordRhythm: SlotRhythm
    let bassPattern: BassPattern
    let drumPattern: DrumPattern
    /// MIDI note of melody degree 1: the tonic between G3 and F♯4.
    let melodyTonic: Int

    private var notes: [PartRole: [Note]] = [:]
    private var voicing: Voicing?

    static let eighth = Score.ticksPerEighth
    static let measure = Score.ticksPerMeasure

    init(song: Song, key: Key, style: ArrangementStyle, rng: SplitMix64) {
        self.song = song
        self.key = key
        self.style = style
        var r = rng
        // Slow songs swing more often; the off-beat delay gives a 58–65 % long-short ratio.
        swing = r.chance(song.bpm < 85 ? 0.65 : 0.4) ? r.int(in: 38...72) : 0
        chordRhythm = r.pick(SlotRhythm.chordRhythms)
        bassPattern = r.pick(BassPattern.patterns)
        let band = song.energy < 0.35 ? 0 : (song.energy < 0.65 ? 1 : 2)
        drumPattern = r.pick(DrumPattern.byEnergy[band])
        melodyTonic = 55 + PitchClass(key.tonic.semitone - 7).semitone
        self.rng = r
    }

    mutating func write(_ plan: [MeasurePlan]) {
        for m in plan {
            let start = m.index * Self.measure
            let isLast = m.index == plan.count - 1
            if m.hasHarmony, let numeral = RomanNumeral(m.chord) {
                harmony(numeral, at: start, ringing: isLast)
            }
            if m.hasMelody { melody(row: song.melodies[m.chordIndex], at: start, doubled: m.melodyDoubled) }
            if m.drums != .none { drums(at: start, upToSlot: m.drums == .full ? 8 : 4) }
        }
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

    /// A little looseness in time; never before the bar line on the downbeat.
    mutating func jitter(slot: Int) -> Int { rng.int(in: slot == 0 ? 0...6 : -6...6) }

    mutating func velocity(_ role: PartRole, accent: Int = 0) -> Int {
        min(127, max(1, (style.velocities[role] ?? 64) + accent + rng.int(in: -6...6)))
    }

    mutating func add(_ role: PartRole, pitch: Int, velocity: Int, start: Int, end: Int) {
        notes[role, default: []].append(Note(pitch: pitch, velocity: velocity, start: start, duration: max(10, end - start)))
    }

    // MARK: Parts

    mutating func harmony(_ numeral: RomanNumeral, at start: Int, ringing: Bool) {
        let tones = numeral.seventh(in: key)
        let v = Voicing.leading(to: tones, from: voicing)
        voicing = v
        let root = 36 + tones[0].semitone

        if ringing {
            let end = start + 2 * Self.measure - 60
            let vel = velocity(.chords)
            for p in v.pitches { add(.chords, pitch: p, velocity: vel, start: start + jitter(slot: 0), end: end) }
            add(.bass, pitch: root, velocity: velocity(.bass), start: start, end: end)
        } else {
            for hit in chordRhythm.hits {
                let on = tick(hit.slot, in: start) + jitter(slot: hit.slot)
                let off = tick(hit.slot + hit.length, in: start) - 24
                let vel = velocity(.chords, accent: hit.slot == 0 ? 4 : 0)
                // Spread the voices a few ticks, as hands do.
                for (i, p) in v.pitches.enumerated() {
                    add(.chords, pitch: p, velocity: vel - i, start: on + i * 3, end: off)
                }
            }
            for hit in bassPattern.hits {
                let pitch = switch hit.tone {
                case .root: root
                case .fifth: 36 + tones[2].semitone + (tones[2].semitone < tones[0].semitone ? 12 : 0)
                case .octave: root + 12
                }
                let on = tick(hit.slot, in: start) + jitter(slot: hit.slot)
                let off = tick(hit.slot + hit.length, in: start) - 20
                add(.bass, pitch: pitch, velocity: velocity(.bass, accent: hit.slot == 0 ? 8 : 0), start: on, end: off)
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

    mutating func melody(row: [Int], at start: Int, doubled: Bool) {
        for event in MelodyDegree.events(in: row) {
            guard let pitch = event.degree.midiNote(in: key, baseTonic: melodyTonic) else { continue }
            let on = tick(event.start, in: start) + jitter(slot: event.start)
            let off = tick(event.start + event.length, in: start) - 20
            let vel = velocity(.melody, accent: event.start % 2 == 0 ? 4 : 0)
            add(.melody, pitch: pitch, velocity: vel, start: on, end: off)
            if doubled { add(.melody, pitch: pitch + 12, velocity: max(1, vel - 18), start: on, end: off) }
        }
    }

    mutating func drums(at start: Int, upToSlot limit: Int) {
        let p = drumPattern
        func hit(_ note: Int, _ slots: [Int], _ accent: Int, _ s: inout PartWriter) {
            for slot in slots where slot < limit {
                let on = s.tick(slot, in: start) + s.jitter(slot: slot)
                let vel = s.velocity(.drums, accent: accent + (slot % 2 == 0 ? 0 : -8))
                s.add(.drums, pitch: note, velocity: vel, start: on, end: on + 60)
            }
        }
        hit(36, p.kick, 6, &self)
        hit(p.snareNote, p.snare, 0, &self)
        hit(42, p.hats, -22, &self)
        hit(46, p.openHat, -18, &self)
    }
}
