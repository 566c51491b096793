import Foundation
import Hummingbird
import Theory

/// JSON answers, every one with `Access-Control-Allow-Origin: *`: the original web
/// client calls from another origin, and an error without the header would reach the
/// page as a bare network error instead of the message.
enum JSONReply {
    static func text(_ body: String, status: HTTPResponse.Status = .ok, contentType: String = "application/json") -> Response {
        Response(status: status,
                 headers: [.contentType: contentType, .accessControlAllowOrigin: "*", .cacheControl: "no-store"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// `{"error": "..."}` with the problem's status.
    static func error(_ problem: RequestProblem) -> Response {
        var response = text("{\"error\": \(Song.jsonQuote(problem.message))}\n", status: problem.status)
        if let wait = problem.retryAfter { response.headers[.retryAfter] = String(wait) }
        return response
    }

    /// Encodes `value` with sorted keys, so the same answer is the same bytes.
    static func encoded<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? enc.encode(value)) ?? Data("{}".utf8)
        return text(String(decoding: data, as: UTF8.self) + "\n", status: status)
    }
}
