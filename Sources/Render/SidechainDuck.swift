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
        /// Frames a dip lasts.
        let span: Int
        /// The linear gain `d` frames after one kick. Overlapping dips take the smallest
        /// gain, which is the deepest dip's: the gain grows with the decibels.
        let gains: [Float]
        private var first = 0

        init(duck: SidechainDuck, kicks: [Int], sampleRate: Double) {
            self.duck = duck
            self.kicks = kicks.sorted()
            self.sampleRate = sampleRate
            span = Int(((duck.attack + duck.release) * sampleRate).rounded(.up))
            gains = (0...span).map { Float(pow(10, duck.gainDB(after: Double($0) / sampleRate) / 20)) }
        }

        /// Multiplies `count` frames from `start` (blocks come in ascending order).
        mutating func apply(_ left: UnsafeMutablePointer<Float>, _ right: UnsafeMutablePointer<Float>, count: Int, start: Int) {
            while first < kicks.count && kicks[first] + span < start { first += 1 }
            var k = first
            gains.withUnsafeBufferPointer { gains in
                for i in 0..<count {
                    let t = start + i
                    while k < kicks.count && kicks[k] + span < t { k += 1 }
                    var g: Float = 1
                    var j = k
                    while j < kicks.count && kicks[j] <= t {
                        g = min(g, gains[t - kicks[j]])
                        j += 1
                    }
                    if g < 1 {
                        left[i] *= g
                        right[i] *= g
                    }
                }
            }
        }
    }
}
