/// Gentle tape-like saturation: a soft clipper with unity gain for small signals,
/// y = s(k·x)/k with s the (3, 2) Padé approximant of tanh, clamped to ±1 beyond |k·x| = 3
/// where that approximant meets tanh's ceiling.
public struct Saturation: Sendable {
    /// Drive k ≥ 1; 1 is nearly transparent at mix levels.
    public var drive: Float

    public init(drive: Float = 1.5) { self.drive = max(drive, 1) }

    @inline(__always)
    static func softClip(_ x: Float) -> Float {
        if x >= 3 { return 1 }
        if x <= -3 { return -1 }
        let x2 = x * x
        return x * (27 + x2) / (27 + 9 * x2)
    }

    public func process(_ buffer: inout StereoBuffer) {
        let k = drive, inv = 1 / drive
        buffer.forEachChannel { _, p in
            for i in p.indices { p[i] = Self.softClip(k * p[i]) * inv }
        }
    }
}
