/// One step of long work, as a progress callback hears it.
public enum ProgressStep: Sendable {
    /// A step done by working.
    case worked
    /// A step that cost nothing (a resumed playlist's kept track): done, but no measure of speed.
    case skipped
}

/// Called from any thread once per step; a front end draws a bar, logs, or streams it.
public typealias ProgressCallback = @Sendable (ProgressStep) -> Void
