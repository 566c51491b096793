import CLofiDSP

/// The master chain's usual form — warmth, saturation, tape wobble, reverb, surface noise,
/// every one present — run by the C kernel over both channels in one pass. Built from the
/// stages' own Swift kernels, so its coefficients, delay lines, generators and clicks are
/// theirs, and it gives their bits (`MasterStageTests` compare it with the stages).
struct FusedChain {
    private var state = lofi_chain()
    /// The reverb's delay lines, one block: 12 rings of `ring` floats.
    private let lines: UnsafeMutableBufferPointer<Float>
    private let impulseIndices: [[Int]]
    private let impulseValues: [[Float]]

    init(warmth: Warmth, saturation: Saturation, wobbles: (TapeWobble.Kernel, TapeWobble.Kernel), reverb: Reverb,
         noise: SurfaceNoise, frames: Int, sampleRate sr: Double) {
        let w = warmth.kernel(sampleRate: sr)
        state.low = (Self.section(w.lowPass), Self.section(w.lowPass))
        state.high = (Self.section(w.highPass), Self.section(w.highPass))
        state.drive = saturation.drive
        state.inverse = 1 / saturation.drive
        let k = wobbles.0
        (state.dw, state.df, state.base) = (k.dw, k.df, k.base)
        (state.cw, state.sw, state.cf, state.sf) = (k.cw, k.sw, k.cf, k.sf)
        (state.rw, state.iw, state.rf, state.iff) = (k.rw, k.iw, k.rf, k.iff)
        state.ring = (wobbles.0.ring.baseAddress, wobbles.1.ring.baseAddress)
        state.mask = k.mask
        // Rings of a power of two at least the longest delay, read back by their delay.
        let delays = [Reverb.delays(channel: 0, sampleRate: sr), Reverb.delays(channel: 1, sampleRate: sr)]
        let longest = delays.flatMap { $0.combs + $0.allpasses }.max()!
        let ring = 1 << (Int.bitWidth - (longest - 1).leadingZeroBitCount)
        lines = .allocate(capacity: 12 * ring)
        lines.initialize(repeating: 0)
        state.delay_mask = ring - 1
        let base = lines.baseAddress!
        func line(_ n: Int, _ delay: Int) -> lofi_delay { lofi_delay(line: base + n * ring, delay: delay) }
        let (c, a) = (delays.map(\.combs), delays.map(\.allpasses))
        state.comb = ((line(0, c[0][0]), line(1, c[0][1]), line(2, c[0][2]), line(3, c[0][3])),
                      (line(4, c[1][0]), line(5, c[1][1]), line(6, c[1][2]), line(7, c[1][3])))
        state.allpass = ((line(8, a[0][0]), line(9, a[0][1])), (line(10, a[1][0]), line(11, a[1][1])))
        (state.feedback, state.damping, state.wet) = (reverb.roomSize, reverb.damping, reverb.wet)
        let voices = (noise.voice(channel: 0, frames: frames, sampleRate: sr), noise.voice(channel: 1, frames: frames, sampleRate: sr))
        state.rng = (voices.0.rng.state, voices.1.rng.state)
        state.hiss = (Self.section(voices.0.hiss), Self.section(voices.1.hiss))
        state.body = (Self.section(voices.0.body), Self.section(voices.1.body))
        state.hiss_level = voices.0.hissLevel
        state.hum_level = voices.0.humLevel
        (state.hum_c, state.hum_s) = voices.0.hum
        (state.c1, state.s1) = (voices.0.c1, voices.0.s1)
        impulseIndices = [voices.0.impulses.map(\.index), voices.1.impulses.map(\.index)]
        impulseValues = [voices.0.impulses.map(\.value), voices.1.impulses.map(\.value)]
        state.impulse_count = (impulseIndices[0].count, impulseIndices[1].count)
    }

    /// Runs the chain over `buffer` in place and frees the reverb's delay lines (once).
    mutating func run(_ buffer: inout StereoBuffer) {
        let n = buffer.frames
        buffer.left.withUnsafeMutableBufferPointer { l in
            buffer.right.withUnsafeMutableBufferPointer { r in
                run(l.baseAddress, r.baseAddress, frames: 0..<n)
            }
        }
        free()
    }

    /// Runs the chain over `frames` of the channels at `left` and `right`. Pieces run one
    /// after another, in order, give the same bits as one run over all of them (the kernel
    /// keeps its time and every state between calls).
    mutating func run(_ left: UnsafeMutablePointer<Float>?, _ right: UnsafeMutablePointer<Float>?, frames: Range<Int>) {
        guard let left, let right, !frames.isEmpty else { return }
        impulseIndices[0].withUnsafeBufferPointer { i0 in
            impulseIndices[1].withUnsafeBufferPointer { i1 in
                impulseValues[0].withUnsafeBufferPointer { v0 in
                    impulseValues[1].withUnsafeBufferPointer { v1 in
                        state.impulse_index = (i0.baseAddress, i1.baseAddress)
                        state.impulse_value = (v0.baseAddress, v1.baseAddress)
                        lofi_chain_run(&state, left + frames.lowerBound, right + frames.lowerBound, frames.count)
                        state.impulse_index = (nil, nil)
                        state.impulse_value = (nil, nil)
                    }
                }
            }
        }
    }

    /// Frees the reverb's delay lines; call once, after the last run.
    func free() { lines.deallocate() }

    static func section(_ b: Biquad) -> lofi_biquad {
        lofi_biquad(b0: b.b0, b1: b.b1, b2: b.b2, a1: b.a1, a2: b.a2, z1: b.z1, z2: b.z2)
    }
}
