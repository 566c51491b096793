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
        let me = self, sr = buffer.sampleRate
        buffer.forEachChannel { ch, x in
            var room = me.kernel(channel: ch, sampleRate: sr)
            defer { room.free() }
            for n in x.indices { x[n] = room.next(x[n]) }
        }
    }

    /// One channel's room (the right channel's delays are longer by `spread`); `free()` it.
    func kernel(channel: Int, sampleRate: Double) -> Kernel {
        let (c, a) = Self.delays(channel: channel, sampleRate: sampleRate)
        return Kernel(combs: (Comb(c[0]), Comb(c[1]), Comb(c[2]), Comb(c[3])), allpasses: (Allpass(a[0]), Allpass(a[1])),
                      feedback: roomSize, damping: damping, wet: wet)
    }

    /// The delays (samples) of one channel's combs and all-passes.
    static func delays(channel: Int, sampleRate: Double) -> (combs: [Int], allpasses: [Int]) {
        let scale = sampleRate / 44100
        let extra = channel == 0 ? 0 : spread
        func size(_ n: Int) -> Int { max(1, Int(Double(n + extra) * scale)) }
        return (combs.map(size), allpasses.map(size))
    }

    struct Kernel {
        var combs: (Comb, Comb, Comb, Comb)
        var allpasses: (Allpass, Allpass)
        let feedback: Float, damping: Float, wet: Float

        func free() {
            combs.0.free(); combs.1.free(); combs.2.free(); combs.3.free()
            allpasses.0.free(); allpasses.1.free()
        }

        @inline(__always)
        mutating func next(_ x: Float) -> Float {
            let input = x * 0.015
            var y = combs.0.process(input, feedback, damping) + combs.1.process(input, feedback, damping)
            y += combs.2.process(input, feedback, damping) + combs.3.process(input, feedback, damping)
            y = allpasses.1.process(allpasses.0.process(y))
            return x + wet * y
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
