/// One of `count` shards of a playlist: tracks i, i + n, i + 2n, … (from 0), so that machines
/// can share the work and `PlaylistMerge` joins their folders.
public struct PlaylistShard: Sendable, Equatable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) throws(StudioError) {
        guard count >= 1, (0..<count).contains(index) else { throw StudioError("shard \(index)/\(count)", "expected i/n with 0 ≤ i < n, e.g. 0/3") }
        self.index = index
        self.count = count
    }

    /// "i/n".
    public init(_ text: String) throws(StudioError) {
        let parts = text.split(separator: "/").compactMap { Int($0) }
        guard parts.count == 2, parts[1] >= 1, (0..<parts[1]).contains(parts[0]) else {
            throw StudioError("shard \(text)", "expected i/n with 0 ≤ i < n, e.g. 0/3")
        }
        index = parts[0]
        count = parts[1]
    }

    public func selects(_ entry: Int) -> Bool { entry % count == index }

    public var description: String { "\(index)/\(count)" }
}
