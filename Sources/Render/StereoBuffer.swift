import Foundation

/// Planar stereo audio in float32, the form every stage of the chain works on.
public struct StereoBuffer: Sendable, Equatable {
    public var left: [Float]
    public var right: [Float]
    public let sampleRate: Double

    public init(frames: Int, sampleRate: Double) {
        left = [Float](repeating: 0, count: frames)
        right = left
        self.sampleRate = sampleRate
    }

    public init(left: [Float], right: [Float], sampleRate: Double) {
        precondition(left.count == right.count)
        self.left = left
        self.right = right
        self.sampleRate = sampleRate
    }

    public var frames: Int { left.count }
    public var duration: Double { Double(frames) / sampleRate }

    /// Adds `other` sample by sample (same length).
    public mutating func add(_ other: StereoBuffer) {
        for i in 0..<min(frames, other.frames) {
            left[i] += other.left[i]
            right[i] += other.right[i]
        }
    }

    public mutating func scale(by gain: Float) {
        left.withUnsafeMutableBufferPointer { l in
            right.withUnsafeMutableBufferPointer { r in
                for i in l.indices {
                    l[i] *= gain
                    r[i] *= gain
                }
            }
        }
    }

    /// Largest absolute sample value of either channel.
    public var samplePeak: Float {
        var p: Float = 0
        for i in 0..<frames { p = max(p, abs(left[i]), abs(right[i])) }
        return p
    }

    /// Runs `body` on both channels at once (left on one core, right on the other), each
    /// task writing only its own channel's storage.
    public mutating func forEachChannel(_ body: @Sendable (_ channel: Int, _ samples: UnsafeMutableBufferPointer<Float>) -> Void) {
        left.withUnsafeMutableBufferPointer { l in
            right.withUnsafeMutableBufferPointer { r in
                nonisolated(unsafe) let channels = [l, r]
                _ = concurrentMap(2) { ch in body(ch, channels[ch]) }
            }
        }
    }

    /// Interleaves frames `range` into `out` (L R L R …).
    public func interleave(_ range: Range<Int>, into out: inout [Float]) {
        out.removeAll(keepingCapacity: true)
        for i in range {
            out.append(left[i])
            out.append(right[i])
        }
    }
}
