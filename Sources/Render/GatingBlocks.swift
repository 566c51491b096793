import Foundation

/// The gating blocks of an EBU R 128 integrated-loudness measurement, as libebur128 measures
/// them: the channel-weighted, K-weighted mean square of every 400 ms block on a 100 ms grid.
/// Holding them, rather than only the meter's final figure, lets a gain be applied without
/// measuring again (every block's energy scales by g², and the relative gate with them;
/// the blocks under the −70 LUFS absolute gate are kept, so a block that a gain moves across
/// it is gated anew), and lets the few stretches a limiter touched be re-measured alone.
struct GatingBlocks: Sendable {
    /// Block k covers frames k·hop ..< k·hop + 4·hop.
    var energies: [Double]
    let hop: Int

    /// The absolute gate (−70 LUFS) as an energy, as libebur128 computes it.
    static let absoluteGate = pow(10, (-70 + 0.691) / 10)

    /// Integrated loudness from the blocks, gated as libebur128 gates them: blocks under the
    /// absolute gate are dropped, the relative gate sits 10 LU under the mean of the rest.
    var integrated: Double {
        var sum = 0.0, count = 0
        for e in energies where e >= Self.absoluteGate { sum += e; count += 1 }
        guard count > 0 else { return -.infinity }
        let relative = sum / Double(count) * 0.1
        var gated = 0.0, kept = 0
        for e in energies where e >= Self.absoluteGate && e >= relative { gated += e; kept += 1 }
        guard kept > 0 else { return -.infinity }
        return 10 * log10(gated / Double(kept)) - 0.691
    }

    init(energies: [Double], hop: Int) {
        self.energies = energies
        self.hop = hop
    }

    /// Measures every block of `buffer`: two halves on two cores (the second meter starts
    /// three hops before the split, so its first block is the first one the split cuts).
    init(measuring buffer: StereoBuffer) {
        let hop = Int(buffer.sampleRate / 10)
        self.hop = hop
        let hops = buffer.frames / hop
        guard hops > 40 else {
            energies = Self.measure(buffer, fromHop: 0, toFrame: buffer.frames)
            return
        }
        let split = hops / 2
        let halves = concurrentMap(2) { i in
            i == 0 ? Self.measure(buffer, fromHop: 0, toFrame: split * hop)
                   : Self.measure(buffer, fromHop: split - 3, toFrame: buffer.frames)
        }
        energies = halves[0] + halves[1]
    }

    /// The energies of the blocks starting at hop `first`, `first` + 1, … that end by `end`,
    /// from one libebur128 meter started at hop `first`: after each 100 ms fed, its momentary
    /// loudness is the block just completed.
    static func measure(_ buffer: StereoBuffer, fromHop first: Int, toFrame end: Int) -> [Double] {
        let meter = LoudnessFollower(sampleRate: buffer.sampleRate, start: first * Int(buffer.sampleRate / 10))
        buffer.left.withUnsafeBufferPointer { l in
            buffer.right.withUnsafeBufferPointer { r in
                if let l = l.baseAddress, let r = r.baseAddress { meter.feed(l, r, upTo: min(end, buffer.frames)) }
            }
        }
        return meter.energies
    }

    /// The blocks after every sample was multiplied by `gain`. Exact: the meter is linear
    /// up to the block energies, and the blocks under the absolute gate are kept too, so one
    /// that a gain lifts over it (or drops under it) is simply gated anew by `integrated`.
    /// The loudness moves by exactly 20·log10 g unless such a block changes sides.
    mutating func scale(by gain: Double) {
        let g2 = gain * gain
        for i in energies.indices { energies[i] *= g2 }
    }

    /// Re-measures the blocks that overlap `changed` (frame ranges, ascending) or follow
    /// within one hop (the K-weighting filter's memory). Each stretch's meter starts half a
    /// second early, so its filter has settled before the first block it replaces.
    mutating func remeasure(_ changed: [Range<Int>], in buffer: StereoBuffer) {
        guard !energies.isEmpty else { return }
        // Block indices touched, merged into runs.
        var runs: [ClosedRange<Int>] = []
        for r in changed {
            let first = max(0, (r.lowerBound - 4 * hop) / hop + 1)
            let last = min(energies.count - 1, (r.upperBound + hop) / hop)
            guard first <= last else { continue }
            if let previous = runs.last, first <= previous.upperBound + 10 {
                runs[runs.count - 1] = previous.lowerBound...max(previous.upperBound, last)
            } else {
                runs.append(first...last)
            }
        }
        for run in runs {
            let start = max(0, run.lowerBound - 5)
            let fresh = Self.measure(buffer, fromHop: start, toFrame: (run.upperBound + 4) * hop)
            for k in run where k - start < fresh.count { energies[k] = fresh[k - start] }
        }
    }
}
