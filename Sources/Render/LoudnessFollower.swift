import CEbur128
import Foundation

/// One libebur128 meter that follows a signal as its frames become final, 100 ms at a time:
/// the master chain runs on one core while this measures what it has finished on the other,
/// so the loudness stage no longer waits for a pass of its own. Its blocks are those one
/// meter gives over the whole finished signal (`GatingBlocks.measure` from hop 0).
final class LoudnessFollower {
    private var handle: UnsafeMutablePointer<ebur128_state>?
    let hop: Int
    /// Block energies: block k starts k hops after the meter did.
    private(set) var energies: [Double] = []
    private var chunk: [Float] = []
    /// Frames fed so far (whole hops).
    private(set) var fed = 0
    private var hopsFed = 0

    /// A meter started at frame `start` (a whole number of hops).
    init(sampleRate: Double, start: Int = 0) {
        hop = Int(sampleRate / 10)
        fed = start
        handle = ebur128_init(2, UInt(sampleRate), Int32(EBUR128_MODE_M.rawValue))
        chunk.reserveCapacity(2 * hop)
    }

    deinit { if handle != nil { ebur128_destroy(&handle) } }

    /// Feeds every whole hop of the channels below frame `end`.
    func feed(_ left: UnsafePointer<Float>, _ right: UnsafePointer<Float>, upTo end: Int) {
        guard let state = handle else { return }
        while fed + hop <= end {
            chunk.removeAll(keepingCapacity: true)
            for i in fed..<(fed + hop) {
                chunk.append(left[i])
                chunk.append(right[i])
            }
            _ = chunk.withUnsafeBufferPointer { ebur128_add_frames_float(state, $0.baseAddress!, hop) }
            fed += hop
            hopsFed += 1
            if hopsFed >= 4 {
                var lufs = -Double.infinity
                ebur128_loudness_momentary(state, &lufs)
                energies.append(lufs.isFinite ? pow(10, (lufs + 0.691) / 10) : 0)
            }
        }
    }

    /// The blocks measured.
    var blocks: GatingBlocks { GatingBlocks(energies: energies, hop: hop) }
}

/// The gating blocks of a finished mix, measured while it was being finished (see
/// `LofiChain.process(_:measuring:)`), for `LoudnessNormalizer` to start from.
public struct LoudnessBlocks: Sendable {
    let blocks: GatingBlocks
}

/// A `LoudnessFollower` on a thread of its own, told how far the signal is final.
final class MeterThread: @unchecked Sendable {
    private let meter: LoudnessFollower
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var target = 0
    private var left: UnsafePointer<Float>?
    private var right: UnsafePointer<Float>?
    private var finishing = false
    private let finished = DispatchSemaphore(value: 0)

    init(_ meter: LoudnessFollower) {
        self.meter = meter
        let thread = Thread { [self] in follow() }
        thread.name = "loudness meter"
        thread.start()
    }

    /// Frames below `frame` are final (read from `left` and `right` from now on).
    func advance(to frame: Int, _ left: UnsafePointer<Float>, _ right: UnsafePointer<Float>) {
        condition.lock()
        if frame > target { target = frame }
        self.left = left
        self.right = right
        condition.signal()
        condition.unlock()
    }

    /// Waits until everything advanced to has been measured.
    func finish() {
        condition.lock()
        finishing = true
        condition.signal()
        condition.unlock()
        finished.wait()
    }

    private func follow() {
        while true {
            condition.lock()
            while target - meter.fed < meter.hop && !finishing { condition.wait() }
            let (to, l, r, last) = (target, left, right, finishing)
            condition.unlock()
            if let l, let r { meter.feed(l, r, upTo: to) }
            if last {
                // Anything advanced between the read above and `finish`.
                condition.lock()
                let (to, l, r) = (target, left, right)
                condition.unlock()
                if let l, let r { meter.feed(l, r, upTo: to) }
                finished.signal()
                return
            }
        }
    }
}
