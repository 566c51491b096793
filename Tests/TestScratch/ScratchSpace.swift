import Foundation

/// A test's scratch files under the system temporary directory, removed when the test ends.
///
/// A suite holds one as a stored property: Swift Testing makes a fresh suite instance for
/// every test and lets it go when the test returns, so `deinit` runs then. Without it a full
/// run leaves hundreds of megabytes of WAV files behind and fills a small `/tmp` (CI did).
public final class ScratchSpace: @unchecked Sendable {
    private let lock = NSLock()
    private var made: [URL] = []

    public init() {}

    /// A new, empty folder whose name ends with `name`.
    public func folder(_ name: String) throws -> URL {
        let dir = path(name)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A fresh path (nothing there yet) whose name ends with `name` (an extension stays
    /// last); whatever is written there is removed with the rest.
    public func path(_ name: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lofi-test-\(UUID().uuidString)-\(name)")
        lock.withLock { made.append(url) }
        return url
    }

    deinit {
        for url in made { try? FileManager.default.removeItem(at: url) }
    }
}
