/// How the drummer plays one song: the feel, chosen once per song from its seed.
public struct Groove: Hashable, Sendable {
    /// Where the second sixteenth of each eighth falls, as a fraction of the eighth: MPC
    /// swing (0.5 is straight; lo-fi sits at 0.54–0.62).
    public var sixteenthSwing: Double
    /// How far the backbeat snares sit behind the kit, in ticks (10–25 ms at the song's tempo).
    public var snareLag: Int
    /// Largest drift of the whole kit behind the grid, in ticks.
    public var driftLimit: Int

    public init(sixteenthSwing: Double, snareLag: Int, driftLimit: Int) {
        self.sixteenthSwing = sixteenthSwing
        self.snareLag = snareLag
        self.driftLimit = driftLimit
    }

    /// The range MPC swing is chosen from.
    public static let swingRange = 0.54...0.62
    /// The range of the snare's lag, in milliseconds.
    public static let snareLagRange = 10.0...25.0

    /// Ticks the off-sixteenth sits after its eighth.
    public var offSixteenthTicks: Int { Int((sixteenthSwing * Double(Score.ticksPerEighth)).rounded()) }

    /// A groove for a song at `bpm`. The lag is drawn in milliseconds, rounded to ticks and kept
    /// inside the range, so it sits 10–25 ms late at any tempo.
    public static func random(bpm: Double, rng: inout SplitMix64) -> Groove {
        // Swing on a 1/240 grid of the eighth: whole ticks.
        let swing = Double(rng.int(in: 130...148)) / Double(Score.ticksPerEighth)
        let msPerTick = 60_000 / (bpm * Double(Score.ticksPerQuarter))
        let ms = 12 + 11 * rng.unit()
        var lag = max(1, Int((ms / msPerTick).rounded()))
        while Double(lag) * msPerTick > snareLagRange.upperBound { lag -= 1 }
        while Double(lag) * msPerTick < snareLagRange.lowerBound { lag += 1 }
        return Groove(sixteenthSwing: swing, snareLag: lag, driftLimit: 6)
    }
}
