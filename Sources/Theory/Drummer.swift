/// The drummer: a groove on sixteenths played in the pocket. The whole kit drifts as one
/// player (a slow random walk behind the grid, one offset per beat shared by every drum on
/// it), the backbeat snares sit a little later still, off-sixteenths are MPC-swung, and each
/// drum loop ends in a fill with a crash on the next downbeat.
struct Drummer {
    let groove: Groove
    let pattern: DrumPattern
    /// Delay of off-beat eighths in ticks, shared with the other parts.
    let swing: Int
    /// The style's drum velocity.
    let velocity: Int
    var rng: SplitMix64
    private(set) var notes: [Note] = []
    private var drift: Int
    private var crashNext = false

    init(groove: Groove, pattern: DrumPattern, swing: Int, velocity: Int, rng: SplitMix64) {
        self.groove = groove
        self.pattern = pattern
        self.swing = swing
        self.velocity = velocity
        self.rng = rng
        drift = groove.driftLimit / 2
    }

    /// Tick of sixteenth `step` (0…15) on the grid of the measure starting at `start`: the
    /// eighth swing of the other parts, then the MPC swing of the off-sixteenth.
    func gridTick(_ step: Int, in start: Int) -> Int {
        let eighth = step / 2
        return start + eighth * Score.ticksPerEighth + (eighth % 2 == 1 ? swing : 0) + (step % 2 == 1 ? groove.offSixteenthTicks : 0)
    }

    /// Plays one measure.
    mutating func play(_ fill: DrumFill, at start: Int) {
        guard fill != .none else { crashNext = false; return }
        var beatDrift = [Int](repeating: 0, count: 4)
        for beat in 0..<4 {
            // The kit wanders a tick at a time, never ahead of the grid.
            drift = min(groove.driftLimit, max(0, drift + rng.int(in: -1...1)))
            beatDrift[beat] = drift
        }
        func at(_ step: Int) -> Int { gridTick(step, in: start) + beatDrift[step / 4] }
        func vel(_ offset: Int, _ spread: Int) -> Int { min(127, max(8, velocity + offset + rng.int(in: -spread...spread))) }

        let grooveSteps = fill == .fill ? 0..<8 : 0..<16
        if fill == .full || fill == .fill {
            if crashNext { hit(DrumNote.crash, at(0), vel(-4, 3), length: 480) }
            for s in pattern.kick where grooveSteps.contains(s) { hit(DrumNote.kick, at(s), vel(s == 0 ? 10 : 6, 4)) }
            for s in pattern.snare where grooveSteps.contains(s) { hit(pattern.snareNote, at(s) + groove.snareLag, vel(8, 3)) }
            for s in pattern.ghosts where grooveSteps.contains(s) && rng.chance(0.7) { hit(DrumNote.snare, at(s), vel(-34, 4)) }
        }
        crashNext = false
        let open = !pattern.openHat.isEmpty && fill != .hatsOnly && rng.chance(0.35) ? rng.pick(pattern.openHat) : nil
        let hatOffset = fill == .hatsOnly ? -28 : -22
        for s in pattern.hats where grooveSteps.contains(s) {
            let accent = s % 4 == 0 ? 8 : (s % 2 == 0 ? 0 : -10)
            if s == open {
                hit(DrumNote.openHat, at(s), vel(hatOffset + 6, 3), length: 110)
            } else {
                hit(DrumNote.closedHat, at(s), vel(hatOffset + accent, 4))
            }
        }
        if fill == .fill {
            let f = rng.pick(DrumFillPattern.fills)
            for h in f.hits { hit(h.note, at(h.step), vel(8 + h.accent, 3)) }
            crashNext = true
        }
    }

    private mutating func hit(_ note: Int, _ tick: Int, _ velocity: Int, length: Int = 60) {
        notes.append(Note(pitch: note, velocity: velocity, start: tick, duration: length))
    }
}
