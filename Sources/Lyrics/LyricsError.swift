/// Why a text could not become lyrics: one line naming the input and the problem.
public struct LyricsError: Error, Sendable, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
