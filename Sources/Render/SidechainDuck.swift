import Foundation

/// Sidechain ducking driven by the kick notes of the Score, not by an envelope follower: at
/// each kick the gain falls linearly in decibels to −`depth` over `attack`, then climbs back
/// linearly in decibels to 0 dB over `release`. Overlapping kicks take the deeper dip. The
/// envelope is a function of the kick times alone, so it is exact and deterministic.
public struct SidechainDuck: Sendable, Equatable {
    /// Depth of the dip in dB (positive; 0 = off).
    public var depth: Double
    /// Seconds from the kick to the deepest point.
    public var attack: Double
    /// Seconds from the deepest point back to unity.
    public var release: Double

    public init(depth: Double, attack: Double = 0.005, release: Double = 0.16) {
        self.depth = depth
        self.attack = attack
        self.release = release
    }

    /// The gain in dB `seconds` after one kick.
    public func gainDB(after seconds: Double) -> Double {
        if seconds < 0 || seconds >= attack + release { return 0 }
        if seconds < attack { return -depth * seconds / attack }
        return -depth * (1 - (seconds - attack) / release)
    }

    /// The envelope over frames for kicks at `kicks` (frames, ascending).
    struct Envelope {
        let duck: SidechainDuck
        let kicks: [Int]
        let sampleRate: Double
        private var first = 0

        init(duck: SidechainDuck, kicks: [Int], sampleRate: Double) {
            self.duck = duck
            self.kicks = kicks.sorted()
            self.sampleRate = sampleRate
        }

        /// Multiplies `count` frames from `start` (blocks come in ascending order).
        mutating func apply(_ left: UnsafeMutablePointer<Float>, _ right: UnsafeMutablePointer<Float>, count: Int, start: Int) {
            let span = Int(((duck.attack + duck.release) * sampleRate).rounded(.up))
            while first < kicks.count && kicks[first] + span < start { first += 1 }
            var k = first
            for i in 0..<count {
                let t = start + i
                while k < kicks.count && kicks[k] + span < t { k += 1 }
                var db = 0.0
                var j = k
                while j < kicks.count && kicks[j] <= t {
                    db = min(db, duck.gainDB(after: Double(t - kicks[j]) / sampleRate))
                    j += 1
                }
                if db < 0 {
                    let g = Float(pow(10, db / 20))
                    left[i] *= g
                    right[i] *= g
                }
            }
        }
    }
}
