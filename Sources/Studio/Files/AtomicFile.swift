import Foundation

/// Writes a file so that readers see either the old file or the complete new one:
/// bytes go to a hidden temporary file in the same folder, which is then renamed.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to url: URL) throws(StudioError) {
        let path = url.path
        let dir = url.deletingLastPathComponent().path
        let temp = "\(dir)/.\(url.lastPathComponent).partial-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        // Plain POSIX calls: Foundation's Data.write costs several extra syscalls per file,
        // which dominates when a batch writes thousands of small MIDI files.
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw cannotWrite(path, errno) }
        var offset = 0
        var failure: Int32 = 0
        bytes.withUnsafeBytes { raw in
            while offset < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += n
            }
        }
        if close(fd) != 0 && failure == 0 { failure = errno }
        if failure == 0 && rename(temp, path) != 0 { failure = errno }
        if failure != 0 {
            unlink(temp)
            throw cannotWrite(path, failure)
        }
    }

    static func cannotWrite(_ path: String, _ code: Int32) -> StudioError {
        let reason = String(cString: strerror(code))
        return StudioError(input: path, problem: "cannot write: \(reason)", line: "cannot write \(path): \(reason)")
    }

    /// The short reason of a Foundation file error ("Permission denied", "No such file or directory").
    public static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let posix = ns.userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(posix.code)))
        }
        if ns.domain == NSCocoaErrorDomain {
            switch ns.code {
            case NSFileWriteNoPermissionError, NSFileReadNoPermissionError: return "permission denied"
            case NSFileNoSuchFileError, NSFileReadNoSuchFileError: return "no such file or directory"
            case NSFileWriteOutOfSpaceError: return "no space left on device"
            case NSFileWriteVolumeReadOnlyError: return "read-only file system"
            default: break
            }
        }
        return ns.localizedDescription
    }

    /// Creates `dir` (and its parents), or names it and why not.
    public static func createFolder(_ dir: URL) throws(StudioError) {
        do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) } catch {
            throw StudioError(dir.path, "cannot create folder: \(reason(error))")
        }
    }

    /// Reads an input file, or stdin for "-".
    public static func read(_ path: String) throws(StudioError) -> Data {
        if path == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
        do { return try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw StudioError(path, "cannot read: \(reason(error))")
        }
    }

    /// At most `limit` + 1 bytes of a file or of stdin (`-`): enough to tell that an input is
    /// over its limit without reading all of it.
    public static func read(_ path: String, limit: Int) throws(StudioError) -> Data {
        let handle: FileHandle
        if path == "-" { handle = .standardInput } else {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { throw StudioError(path, "no such file") }
            guard !isDir.boolValue else { throw StudioError(path, "is a folder, not a text file") }
            guard let h = FileHandle(forReadingAtPath: path) else { throw StudioError(path, "cannot read: permission denied") }
            handle = h
        }
        defer { if path != "-" { try? handle.close() } }
        do { return try handle.read(upToCount: limit + 1) ?? Data() } catch {
            throw StudioError(path, "cannot read: \(reason(error))")
        }
    }

    /// The first of `urls` that exists, when existing files must not be overwritten.
    public static func refuseExisting(_ urls: [URL], hint: String = "pass --force to overwrite") throws(StudioError) {
        if let existing = urls.first(where: { FileManager.default.fileExists(atPath: $0.path) }) {
            throw StudioError(existing.path, "already exists; \(hint)")
        }
    }
}
