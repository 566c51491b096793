import Foundation

/// Fade-in and fade-out with raised-cosine curves (no click at either end).
public struct Fade: Sendable {
    public var fadeIn: Double
    public var fadeOut: Double

    public init(fadeIn: Double = 1.0, fadeOut: Double = 4.0) {
        self.fadeIn = fadeIn
        self.fadeOut = fadeOut
    }

    public func process(_ buffer: inout StereoBuffer) {
        let (n, sr) = (buffer.frames, buffer.sampleRate)
        buffer.left.withUnsafeMutableBufferPointer { l in
            buffer.right.withUnsafeMutableBufferPointer { r in
                if let l = l.baseAddress, let r = r.baseAddress { processIn(l, r, frames: 0..<n, of: n, sampleRate: sr) }
            }
        }
        processOut(&buffer)
    }

    /// Frames the fade-in covers in a buffer of `n` frames.
    func inFrames(_ n: Int, sampleRate: Double) -> Int { min(n, Int(fadeIn * sampleRate)) }
    /// Frames the fade-out covers in a buffer of `n` frames (the last ones).
    func outFrames(_ n: Int, sampleRate: Double) -> Int { min(n, Int(fadeOut * sampleRate)) }

    /// The fade-in over those of `frames` it covers, in channels of `n` frames: a chain that
    /// runs in pieces applies it piece by piece, with the same gains.
    func processIn(_ left: UnsafeMutablePointer<Float>, _ right: UnsafeMutablePointer<Float>, frames: Range<Int>, of n: Int, sampleRate: Double) {
        let fi = inFrames(n, sampleRate: sampleRate)
        for i in max(0, frames.lowerBound)..<max(max(0, frames.lowerBound), min(fi, frames.upperBound)) {
            let g = Float(0.5 - 0.5 * cos(Double.pi * Double(i) / Double(fi)))
            left[i] *= g
            right[i] *= g
        }
    }

    /// The fade-out over the last frames.
    func processOut(_ buffer: inout StereoBuffer) {
        let n = buffer.frames
        let fo = outFrames(n, sampleRate: buffer.sampleRate)
        for k in 0..<fo {
            let i = n - fo + k
            let g = Float(0.5 + 0.5 * cos(Double.pi * Double(k + 1) / Double(fo)))
            buffer.left[i] *= g
            buffer.right[i] *= g
        }
    }
}
