import Foundation
@testable import Render

/// Test signals with known answers.
enum Signals {
    static func sine(frequency: Double, amplitudeDB: Double, seconds: Double, sampleRate: Double = 44100, phase: Double = 0) -> StereoBuffer {
        let n = Int(seconds * sampleRate)
        let a = pow(10, amplitudeDB / 20)
        let x = (0..<n).map { Float(a * sin(2 * Double.pi * frequency * Double($0) / sampleRate + phase)) }
        return StereoBuffer(left: x, right: x, sampleRate: sampleRate)
    }

    static func rms(_ x: ArraySlice<Float>) -> Double {
        (x.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(x.count)).squareRoot()
    }

    static func db(_ x: Double) -> Double { 20 * log10(x) }

    /// Frequency estimated from upward zero crossings (linearly interpolated) over a window.
    static func frequency(_ x: [Float], from: Int, to: Int, sampleRate: Double) -> Double {
        var crossings: [Double] = []
        for i in max(from, 1)..<to where x[i - 1] < 0 && x[i] >= 0 {
            crossings.append(Double(i - 1) + Double(-x[i - 1] / (x[i] - x[i - 1])))
        }
        guard crossings.count > 1 else { return 0 }
        return Double(crossings.count - 1) * sampleRate / (crossings.last! - crossings.first!)
    }
}
