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
    /// From libebur128's gating blocks, two halves on two cores (`GatingBlocks`).
    public static func integrated(_ buffer: StereoBuffer) -> Double {
        GatingBlocks(measuring: buffer).integrated
    }

    /// `range` measured by one libebur128 meter, gated by libebur128 itself.
    static func integrated(_ buffer: StereoBuffer, range: Range<Int>) -> Double {
        var handle = ebur128_init(2, UInt(buffer.sampleRate), Int32(EBUR128_MODE_I.rawValue))
        guard let state = handle else { return -.infinity }
        defer { ebur128_destroy(&handle) }
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
        return lufs
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
