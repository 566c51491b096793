/// One measure of a groove on the sixteenth grid (0…15), written as strips of 16 characters
/// the way a drum machine shows them: `x` a hit, `.` nothing.
public struct DrumPattern: Sendable, Equatable {
    public let kick: [Int]
    /// Backbeats (played late by the groove's lag).
    public let snare: [Int]
    /// Snare (38) or side stick (37) for the backbeats.
    public let snareNote: Int
    /// Soft snare hits around the backbeats, each played with a chance.
    public let ghosts: [Int]
    public let hats: [Int]
    /// Where an open hat may replace the closed one, now and then.
    public let openHat: [Int]

    public init(kick: String, snare: String, snareNote: Int = DrumNote.snare, ghosts: String, hats: String, openHat: String) {
        func steps(_ strip: String) -> [Int] {
            precondition(strip.count == 16, "a drum strip has 16 steps")
            return strip.enumerated().filter { $0.element != "." }.map(\.offset)
        }
        self.kick = steps(kick)
        self.snare = steps(snare)
        self.snareNote = snareNote
        self.ghosts = steps(ghosts)
        self.hats = steps(hats)
        self.openHat = steps(openHat)
    }
}

/// A fill on beats 3 and 4 (sixteenths 8…15) of the last measure of a drum loop.
public struct DrumFillPattern: Sendable, Equatable {
    /// (sixteenth, drum key, velocity offset from the backbeat's).
    public let hits: [(step: Int, note: Int, accent: Int)]

    public init(_ hits: [(Int, Int, Int)]) { self.hits = hits.map { (step: $0.0, note: $0.1, accent: $0.2) } }

    public static func == (a: DrumFillPattern, b: DrumFillPattern) -> Bool {
        a.hits.map(\.step) == b.hits.map(\.step) && a.hits.map(\.note) == b.hits.map(\.note)
    }
}
