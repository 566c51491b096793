import Hummingbird

/// What was wrong with a request, and the status that says so (400 unless told).
struct RequestProblem: Error, Sendable, CustomStringConvertible {
    var status: HTTPResponse.Status
    var message: String

    init(_ message: String, status: HTTPResponse.Status = .badRequest) {
        self.message = message
        self.status = status
    }

    var description: String { message }
}
