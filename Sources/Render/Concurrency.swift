import Foundation
import Theory

/// `Theory.concurrentMap`, or a plain loop when a playlist has turned parallel renders off.
func concurrentMap<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
    RenderThreads.parallel ? Theory.concurrentMap(count, body) : (0..<count).map(body)
}

/// Whether one render may use several cores. A playlist renders several songs at once, one
/// per core, and turns this off so that each render stays on its own core.
public enum RenderThreads {
    nonisolated(unsafe) public static var parallel = true
}
