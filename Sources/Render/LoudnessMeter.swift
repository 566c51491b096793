import CEbur128
import Foundation

/// Integrated loudness (EBU R128 / ITU-R BS.1770) and true peak, measured by libebur128.
public struct LoudnessMeasurement: Sendable, Equatable {
    /// Integrated loudness in LUFS (−∞ for silence).
    public let integrated: Double
    /// Largest true peak over both channels, linear (1 = 0 dBTP).
    public let truePeak: Double
    public var truePeakDB: Double { 20 * log10(max(truePeak, 1e-12)) }
}

public enum LoudnessMeter {
    /// Integrated loudness and true peak.
    public static func measure(_ buffer: StereoBuffer) -> LoudnessMeasurement {
        LoudnessMeasurement(integrated: integrated(buffer), truePeak: truePeak(buffer))
    }

    /// Integrated loudness alone (LUFS; −∞ for silence): much cheaper than with true peak.
    /// Long signals are measured as two halves on two cores and pooled with
    /// `ebur128_loudness_global_multiple`, which gates the union of both meters' 400 ms blocks.
    /// The second meter starts 300 ms before the split, on the 100 ms block grid, so that it
    /// makes exactly the three blocks that straddle the split and the pooled blocks are those
    /// of one meter over the whole signal.
    public static func integrated(_ buffer: StereoBuffer) -> Double {
        let hop = Int(buffer.sampleRate / 10)
        guard buffer.frames > 40 * hop else { return integrated(buffer, range: 0..<buffer.frames).loudness }
        let split = (buffer.frames / 2) / hop * hop
        let halves = concurrentMap(2) { i in
            integrated(buffer, range: i == 0 ? 0..<split : (split - 3 * hop)..<buffer.frames, keep: true)
        }
        defer { for h in halves { var s = h.state; if s != nil { ebur128_destroy(&s) } } }
        var states: [UnsafeMutablePointer<ebur128_state>?] = halves.map(\.state)
        guard states.allSatisfy({ $0 != nil }) else { return -.infinity }
        var lufs = -Double.infinity
        _ = states.withUnsafeMutableBufferPointer { ebur128_loudness_global_multiple($0.baseAddress!, 2, &lufs) }
        return lufs
    }

    /// Measures `range`; with `keep` the meter is returned for pooling (the caller destroys it).
    static func integrated(_ buffer: StereoBuffer, range: Range<Int>, keep: Bool = false) -> (loudness: Double, state: UnsafeMutablePointer<ebur128_state>?) {
        var handle = ebur128_init(2, UInt(buffer.sampleRate), Int32(EBUR128_MODE_I.rawValue))
        guard let state = handle else { return (-.infinity, nil) }
        var chunk: [Float] = []
        chunk.reserveCapacity(2 * 65536)
        var start = range.lowerBound
        while start < range.upperBound {
            let end = min(range.upperBound, start + 65536)
            buffer.interleave(start..<end, into: &chunk)
            _ = chunk.withUnsafeBufferPointer { ebur128_add_frames_float(state, $0.baseAddress!, end - start) }
            start = end
        }
        var lufs = -Double.infinity
        ebur128_loudness_global(state, &lufs)
        if keep { return (lufs, state) }
        ebur128_destroy(&handle)
        return (lufs, nil)
    }

    /// True peak of both channels (linear), one meter per channel on two cores.
    public static func truePeak(_ buffer: StereoBuffer) -> Double {
        let peaks = concurrentMap(2) { ch in truePeak(ch == 0 ? buffer.left : buffer.right, sampleRate: buffer.sampleRate) }
        return max(peaks[0], peaks[1])
    }

    /// True peak of one channel, linear.
    public static func truePeak(_ samples: [Float], sampleRate: Double) -> Double {
        var handle = ebur128_init(1, UInt(sampleRate), Int32(EBUR128_MODE_TRUE_PEAK.rawValue))
        guard let state = handle else { return Double(samples.map(abs).max() ?? 0) }
        defer { ebur128_destroy(&handle) }
        samples.withUnsafeBufferPointer { p in
            var start = 0
            while start < p.count {
                let n = min(65536, p.count - start)
                _ = ebur128_add_frames_float(state, p.baseAddress! + start, n)
                start += n
            }
        }
        var peak = 0.0
        ebur128_true_peak(state, 0, &peak)
        return peak
    }
}
