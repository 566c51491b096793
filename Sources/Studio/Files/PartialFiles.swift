import Foundation

/// The hidden partial files of `AtomicFile` and the audio writer: `.<name>.partial-<pid>-…`.
public enum PartialFiles {
    /// Removes those left by processes that no longer exist (killed mid-write); a live
    /// process's files are left alone.
    public static func removeDead(in dir: URL) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] where name.hasPrefix(".") {
            guard let r = name.range(of: ".partial-"), let pid = Int32(name[r.upperBound...].prefix { $0.isNumber }), pid > 0 else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(dir.appendingPathComponent(name).path) }
        }
    }

    /// Removes this process's own partial files in `dirs` (when it must stop at once).
    public static func removeOwn(in dirs: [String]) {
        let marker = ".partial-\(getpid())-"
        for dir in dirs {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where name.hasPrefix(".") && name.contains(marker) {
                unlink(dir + "/" + name)
            }
        }
    }
}
