#if canImport(Glibc)
import Glibc
#endif

/// Hands freed heap memory back to the system. A render frees its buffers (about 170 MB
/// for a track) when it ends, but glibc keeps the pages for reuse, so a station that runs
/// for days would hold the peak of its largest render; after each track it holds what it uses.
enum ReturnedMemory {
    /// glibc's `malloc_trim`, looked up once (its header is not in Swift's Glibc module).
    private static let trim: (@convention(c) (Int) -> Int32)? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        #else
        return nil
        #endif
    }()

    static func release() {
        _ = trim?(0)
    }
}
