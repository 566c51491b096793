import Foundation

/// A caller's "stop": Ctrl-C in the command line, a closed connection in a server. Long work
/// (playlists, batches, training) checks it between steps and throws `Cancelled`; the step in
/// flight finishes or leaves only hidden partial files, never a half-written output.
///
/// It also records the folders the work writes into, so a front end that must stop at once
/// (a signal) can remove this process's partial files there (`PartialFiles.removeOwn`).
public final class Cancellation: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false
    private var writtenFolders: [String] = []

    public init() {}

    public var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return cancelled
    }

    public func cancel() {
        lock.lock()
        cancelled = true
        lock.unlock()
    }

    /// Throws `Cancelled` once `cancel()` was called.
    public func check() throws(Cancelled) {
        if isCancelled { throw Cancelled() }
    }

    /// Announces that work is about to write into `folder`: the first time, partial files
    /// left there by killed runs are removed.
    public func writes(into folder: URL) {
        lock.lock()
        defer { lock.unlock() }
        guard !writtenFolders.contains(folder.path) else { return }
        writtenFolders.append(folder.path)
        PartialFiles.removeDead(in: folder)
    }

    /// The folders announced so far.
    public var folders: [String] {
        lock.lock()
        defer { lock.unlock() }
        return writtenFolders
    }
}

/// Work stopped because its `Cancellation` was cancelled.
public struct Cancelled: Error, Sendable, CustomStringConvertible {
    public init() {}
    public var description: String { "cancelled" }
}
