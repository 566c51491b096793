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
        let n = buffer.frames
        let fi = min(n, Int(fadeIn * buffer.sampleRate)), fo = min(n, Int(fadeOut * buffer.sampleRate))
        for i in 0..<fi {
            let g = Float(0.5 - 0.5 * cos(Double.pi * Double(i) / Double(fi)))
            buffer.left[i] *= g
            buffer.right[i] *= g
        }
        for k in 0..<fo {
            let i = n - fo + k
            let g = Float(0.5 + 0.5 * cos(Double.pi * Double(k + 1) / Double(fo)))
            buffer.left[i] *= g
            buffer.right[i] *= g
        }
    }
}
