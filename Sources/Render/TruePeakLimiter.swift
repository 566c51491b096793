import Foundation

/// A look-ahead limiter that holds the true (inter-sample) peak under a ceiling by lowering
/// the gain smoothly, never by clipping. Offline, over a whole buffer:
///
/// 1. p[n]: peak of frame n over both channels, including the 4× oversampled points after it
///    (windowed-sinc interpolation), wherever the signal comes near the ceiling;
/// 2. g[n] = min(1, ceiling / p[n]), the gain each frame needs;
/// 3. m[k] = min g[k ..< k + L] over the look-ahead L, then a[n] = mean m[n − L + 1 … n]:
///    every term of that mean covers frame n, so a[n] ≤ g[n] and the gain ramps down over L
///    before a peak instead of jumping;
/// 4. the release eases back up with a one-pole curve (never above a[n]), landing on a[n]
///    where a Float step no longer moves it (it used to stall about 10⁻⁴ under unity, so
///    the rest of a song after its first limited peak stayed that much quieter).
public struct TruePeakLimiter: Sendable {
    public var ceilingDB: Double
    public var lookahead: Double
    public var release: Double

    public init(ceilingDB: Double = -1, lookahead: Double = 0.0015, release: Double = 0.08) {
        self.ceilingDB = ceilingDB
        self.lookahead = lookahead
        self.release = release
    }

    /// 4-phase interpolation kernel: 16 taps per phase, Hann-windowed sinc.
    static let taps = 8
    static let kernel: [SIMD16<Float>] = (1..<4).map { phase in
        let frac = Double(phase) / 4
        var v = SIMD16<Float>()
        for (i, k) in (-taps + 1...taps).enumerated() {
            let t = Double(k) - frac
            let sinc = t == 0 ? 1 : sin(Double.pi * t) / (Double.pi * t)
            let w = 0.5 + 0.5 * cos(Double.pi * t / Double(taps + 1))
            v[i] = Float(sinc * w)
        }
        return v
    }

    /// Peak per frame over both channels, with the oversampled points after each frame
    /// estimated wherever a sample is within 3.5 dB of `near` (a band-limited signal's
    /// inter-sample peaks rarely exceed its samples by more than 3 dB; the final libebur128
    /// check catches the rest). Two halves on two cores.
    static func framePeaks(_ b: StereoBuffer, near: Float) -> [Float] {
        let n = b.frames, T = taps
        var peaks = [Float](repeating: 0, count: n)
        let threshold = near * 0.67
        peaks.withUnsafeMutableBufferPointer { out in
            b.left.withUnsafeBufferPointer { l in
                b.right.withUnsafeBufferPointer { r in
                    nonisolated(unsafe) let (o, lp, rp) = (out, l, r)
                    let half = n / 2
                    _ = concurrentMap(2) { part in
                        let range = part == 0 ? 0..<half : half..<n
                        for i in range { o[i] = max(abs(lp[i]), abs(rp[i])) }
                        for i in range where i - T + 1 >= 0 && i + T < n {
                            guard abs(lp[i]) > threshold || abs(rp[i]) > threshold
                                || abs(lp[i + 1]) > threshold || abs(rp[i + 1]) > threshold else { continue }
                            let base = UnsafeRawPointer(lp.baseAddress! + (i - T + 1))
                            let wl = base.loadUnaligned(as: SIMD16<Float>.self)
                            let wr = UnsafeRawPointer(rp.baseAddress! + (i - T + 1)).loadUnaligned(as: SIMD16<Float>.self)
                            var p = o[i]
                            for k in kernel {
                                p = max(p, abs((k * wl).sum()), abs((k * wr).sum()))
                            }
                            o[i] = p
                        }
                    }
                }
            }
        }
        return peaks
    }

    /// What a pass did: the frames whose gain it lowered (ascending runs) and the true peak
    /// it leaves, by its own oversampled detector (linear).
    public struct Report: Sendable {
        public var changed: [Range<Int>]
        public var truePeak: Double
    }

    @discardableResult
    public func process(_ buffer: inout StereoBuffer) -> Report {
        let n = buffer.frames
        guard n > 0 else { return Report(changed: [], truePeak: 0) }
        let ceiling = Float(pow(10, ceilingDB / 20))
        // Peaks become, in place, the gain each frame needs.
        var need = Self.framePeaks(buffer, near: ceiling)
        var overs: [Int] = []
        var peak: Float = 0
        // Through a pointer: indexing the array here checked its uniqueness every frame.
        need.withUnsafeMutableBufferPointer { need in
            for i in 0..<n {
                if need[i] > ceiling {
                    need[i] = ceiling / need[i]
                    overs.append(i)
                    peak = ceiling
                } else {
                    peak = max(peak, need[i])
                    need[i] = 1
                }
            }
        }
        guard !overs.isEmpty else { return Report(changed: [], truePeak: Double(peak)) }
        let L = max(1, Int(lookahead * buffer.sampleRate))
        let coefficient = Float(1 - exp(-1 / (release * buffer.sampleRate)))
        // Sliding minimum of need over [k, k + L) with a monotonic deque in a ring of L + 1,
        // a running mean of the last L minima, and the release, in one pass over each stretch
        // that has work: from L − 1 frames before an over until the gain is back at unity with
        // no over within reach. Elsewhere every term is 1 and the frames are left alone.
        var ring = [Int](repeating: 0, count: L + 1)
        var history = [Float](repeating: 1, count: L)
        var changed: [Range<Int>] = []
        buffer.left.withUnsafeMutableBufferPointer { left in
            buffer.right.withUnsafeMutableBufferPointer { right in
                need.withUnsafeBufferPointer { need in
                    var o = 0  // the next over not yet within reach
                    var k = 0
                    while o < overs.count {
                        // A fresh stretch: all minima and the gain are 1 here.
                        k = max(k, overs[o] - L + 1)
                        for h in history.indices { history[h] = 1 }
                        var head = 0, count = 0, slot = 0, below = 0
                        var next = k
                        var sum = Double(L)
                        var g: Float = 1
                        let runStart = k
                        while k < n {
                            while o < overs.count && overs[o] < k + L { o += 1 }
                            while next < min(n, k + L) {
                                while count > 0 {
                                    let last = head + count - 1
                                    guard need[ring[last > L ? last - L - 1 : last]] >= need[next] else { break }
                                    count -= 1
                                }
                                let tail = head + count
                                ring[tail > L ? tail - L - 1 : tail] = next
                                count += 1
                                next += 1
                            }
                            while ring[head] < k { head = head == L ? 0 : head + 1; count -= 1 }
                            let windowMin = need[ring[head]]
                            if history[slot] < 1 { below -= 1 }
                            if windowMin < 1 { below += 1 }
                            sum += Double(windowMin) - Double(history[slot])
                            history[slot] = windowMin
                            slot = slot + 1 == L ? 0 : slot + 1
                            // All the mean's minima are 1 again: the exact sum, not its drift.
                            if below == 0 { sum = Double(L) }
                            // Done when the gain has landed and nothing in the look-ahead or
                            // the mean's memory is under 1: this frame and on are untouched.
                            if g == 1 && below == 0 { break }
                            let a = min(Float(sum / Double(L)), need[k])
                            if a < g {
                                g = a
                            } else {
                                // Where a Float step no longer moves it, the release lands.
                                let eased = g + (a - g) * coefficient
                                g = eased == g ? a : eased
                            }
                            left[k] *= g
                            right[k] *= g
                            k += 1
                        }
                        changed.append(runStart..<k)
                    }
                }
            }
        }
        return Report(changed: changed, truePeak: Double(peak))
    }
}
