import Hummingbird
import LofiVAE
import Studio

/// The original Lofi server's two routes, so its web client works against this server
/// unchanged: `/decode?input=[100 numbers]` and `/predict?input=<lyrics>`.
///
/// Bodies are `OriginalSongBody`'s: a JSON string literal holding the song. Bad input is a
/// 400 with `{"error": ...}` and the CORS header, where the original answered with an HTML
/// 500 that the browser could not read.
struct OriginalLofiRoutes: Sendable {
    let model: LofiModel

    func add(to router: Router<ServerContext>) {
        router.get("decode") { request, _ in await decode(query: request.uri.query) }
        router.get("predict") { request, _ in await predict(query: request.uri.query) }
    }

    func decode(query: String?) async -> Response {
        await answer {
            let input = try Self.input(query, example: "?input=[100 numbers]")
            return try SongRequests.originalDecode(latentText: input, model: model)
        }
    }

    func predict(query: String?) async -> Response {
        await answer {
            let input = try Self.input(query, example: "?input=<lyrics>")
            return OriginalSongBody.body(try SongRequests.lyrics(input, model: model).song)
        }
    }

    /// The `input` parameter, or a 400 that says how to give it.
    static func input(_ query: String?, example: String) throws(RequestProblem) -> String {
        guard let input = try QueryString(query)["input"], !input.isEmpty else {
            throw RequestProblem("input: missing; give \(example)")
        }
        return input
    }

    /// Runs `make` off the event loop; the body it makes, or its error as JSON.
    func answer(_ make: @escaping @Sendable () throws -> String) async -> Response {
        do {
            return JSONReply.text(try await Offload.run(make))
        } catch let problem as RequestProblem {
            return JSONReply.error(problem)
        } catch {
            return JSONReply.error(RequestProblem("\(error)"))
        }
    }
}
