import Hummingbird

/// What was wrong with a request, and the status that says so (400 unless told).
struct RequestProblem: Error, Sendable, CustomStringConvertible {
    var status: HTTPResponse.Status
    var message: String
    /// Seconds after which a retry may succeed (429), sent as `Retry-After`.
    var retryAfter: Int?

    init(_ message: String, status: HTTPResponse.Status = .badRequest, retryAfter: Int? = nil) {
        self.message = message
        self.status = status
        self.retryAfter = retryAfter
    }

    var description: String { message }
}
