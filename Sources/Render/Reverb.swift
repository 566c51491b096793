/// A small room: per channel four damped feedback comb filters in parallel and two
/// all-pass diffusers in series (Schroeder's design with Jezar's low-pass damping in the
/// loop); the right channel's delays are slightly longer for width. One pass per sample
/// over small delay lines, so nothing as long as the song is allocated.
public struct Reverb: Sendable {
    /// Wet level mixed onto the dry signal (0 = off).
    public var wet: Float
    /// Feedback of the combs: longer tail when higher (< 1).
    public var roomSize: Float
    /// High-frequency damping inside the loop (0…1).
    public var damping: Float

    public init(wet: Float = 0.18, roomSize: Float = 0.78, damping: Float = 0.4) {
        self.wet = wet
        self.roomSize = roomSize
        self.damping = damping
    }

    /// Delay lengths in samples at 44.1 kHz (Freeverb's tuning).
    static let combs = [1116, 1277, 1422, 1557]
    static let allpasses = [556, 341]
    static let spread = 23

    public func process(_ buffer: inout StereoBuffer) {
        guard wet > 0 else { return }
        let scale = buffer.sampleRate / 44100
        let me = self
        buffer.forEachChannel { ch, x in
            let extra = ch == 0 ? 0 : Self.spread
            func size(_ n: Int) -> Int { max(1, Int(Double(n + extra) * scale)) }
            var c0 = Comb(size(Self.combs[0])), c1 = Comb(size(Self.combs[1]))
            var c2 = Comb(size(Self.combs[2])), c3 = Comb(size(Self.combs[3]))
            var a0 = Allpass(size(Self.allpasses[0])), a1 = Allpass(size(Self.allpasses[1]))
            defer { c0.free(); c1.free(); c2.free(); c3.free(); a0.free(); a1.free() }
            let (feedback, damp, wet) = (me.roomSize, me.damping, me.wet)
            for n in x.indices {
                let input = x[n] * 0.015
                var y = c0.process(input, feedback, damp) + c1.process(input, feedback, damp)
                y += c2.process(input, feedback, damp) + c3.process(input, feedback, damp)
                y = a1.process(a0.process(y))
                x[n] += wet * y
            }
        }
    }

    /// Feedback comb with a one-pole low-pass in the loop.
    struct Comb {
        let line: UnsafeMutableBufferPointer<Float>
        var index = 0
        var store: Float = 0

        init(_ size: Int) {
            line = .allocate(capacity: size)
            line.initialize(repeating: 0)
        }

        func free() { line.deallocate() }

        @inline(__always)
        mutating func process(_ input: Float, _ feedback: Float, _ damping: Float) -> Float {
            let out = line[index]
            store = out * (1 - damping) + store * damping
            line[index] = input + store * feedback
            index += 1
            if index == line.count { index = 0 }
            return out
        }
    }

    /// Schroeder all-pass diffuser with gain ½.
    struct Allpass {
        let line: UnsafeMutableBufferPointer<Float>
        var index = 0

        init(_ size: Int) {
            line = .allocate(capacity: size)
            line.initialize(repeating: 0)
        }

        func free() { line.deallocate() }

        @inline(__always)
        mutating func process(_ v: Float) -> Float {
            let delayed = line[index]
            line[index] = v + delayed * 0.5
            index += 1
            if index == line.count { index = 0 }
            return delayed - v
        }
    }
}
