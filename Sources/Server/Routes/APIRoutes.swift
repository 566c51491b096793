import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Studio

/// The JSON API for programs: songs from a seed or latents, a song rendered to a file,
/// songs from words. `/openapi.json` describes it.
struct APIRoutes: Sendable {
    let model: LofiModel
    let audio: AudioSettings
    let soundfont: String
    let admission: RenderAdmission

    /// Request bodies larger than this are refused (413).
    static let maxBody = 1 << 20

    func add(to router: Router<ServerContext>) {
        router.post("api/songs") { request, _ in await songs(request) }
        router.post("api/lyrics") { request, _ in await lyrics(request) }
        router.post("api/render") { request, context in await render(request, client: context.client, logger: context.logger) }
    }

    /// The body, at most 1 MB, or a 413.
    static func body(_ request: inout Request) async throws(RequestProblem) -> Data {
        do {
            return Data(buffer: try await request.collectBody(upTo: maxBody))
        } catch {
            throw RequestProblem("the request body is over \(maxBody / 1024) KB", status: .contentTooLarge)
        }
    }

    func songs(_ request: Request) async -> Response {
        var request = request
        do {
            let body = try await Self.body(&request)
            let model = self.model
            let text = try await Offload.run { Song.jsonArray(try SongsRequest(json: body).songs(model: model)) }
            return JSONReply.text(text)
        } catch { return JSONReply.error(RequestProblem(error)) }
    }

    /// The text as the body (`text/plain`), or `{"text": ..., "seed": n}` as JSON.
    func lyrics(_ request: Request) async -> Response {
        var request = request
        do {
            let body = try await Self.body(&request)
            let json = request.headers[.contentType]?.hasPrefix("application/json") == true
            let model = self.model
            return JSONReply.text(try await Offload.run { try SongRequests.lyricsBody(body, json: json, model: model) })
        } catch { return JSONReply.error(RequestProblem(error)) }
    }

    func render(_ request: Request, client: String?, logger: Logger) async -> Response {
        let query: QueryString
        let format: String, seed: UInt64
        do {
            query = try QueryString(request.uri.query)
            format = query["format"] ?? "wav"
            guard RenderRequest.formats.contains(format) else {
                throw RequestProblem("format \(format): unknown; use \(RenderRequest.formats.joined(separator: ", "))")
            }
            guard let s = UInt64(query["seed"] ?? "0") else { throw RequestProblem("seed: expected a whole number") }
            seed = s
        } catch { return JSONReply.error(RequestProblem(error)) }
        let cancellation = Cancellation()
        let (audio, soundfont, admission) = (self.audio, self.soundfont, self.admission)
        do {
            // Read the body and render while watching the connection: a client that goes
            // away cancels its render, which stops at the next stage.
            let file = try await request.body.consumeWithInboundCloseHandler { body in
                let data: Data
                do { data = Data(buffer: try await body.collect(upTo: Self.maxBody)) } catch {
                    throw RequestProblem("the request body is over \(Self.maxBody / 1024) KB", status: .contentTooLarge)
                }
                let song = try RenderRequest.song(data)
                do { try await admission.admit(client) } catch let refusal as RenderAdmission.Refusal {
                    switch refusal {
                    case .tooMany(let wait): throw RequestProblem("more than \(admission.perMinute) renders a minute from \(client ?? "you"); retry in \(wait) s",
                                                                  status: .tooManyRequests, retryAfter: wait)
                    case .full: throw RequestProblem("the render queue is full; retry shortly", status: .serviceUnavailable)
                    }
                }
                do {
                    try cancellation.check()
                    let file = try await Offload.run {
                        try RenderRequest.render(song, format: format, seed: seed, audio: audio, soundfont: soundfont, cancellation: cancellation)
                    }
                    await admission.release(cancelled: false)
                    return file
                } catch {
                    await admission.release(cancelled: error is Cancelled)
                    if error is Cancelled {
                        let (finished, cancelled) = (await admission.finished, await admission.cancelled)
                        logger.info("render cancelled: the client went away (\(finished) finished, \(cancelled) cancelled so far)")
                    }
                    throw error
                }
            } onInboundClosed: {
                cancellation.cancel()
            }
            var headers: HTTPFields = [.contentType: file.contentType, .accessControlAllowOrigin: "*",
                                       .contentDisposition: "attachment; filename=\"\(file.fileName)\""]
            headers[.contentLength] = String(file.data.count)
            let data = file.data
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                var at = 0
                while at < data.count {
                    let end = min(data.count, at + 65536)
                    try await writer.write(ByteBuffer(bytes: data[at..<end]))
                    at = end
                }
                try await writer.finish(nil)
            })
        } catch {
            return JSONReply.error(RequestProblem(error))
        }
    }
}

extension RequestProblem {
    /// Any error as a problem: ours as it is, a cancelled render as 499-ish 400, the rest 400.
    init(_ error: any Error) {
        switch error {
        case let p as RequestProblem: self = p
        case is Cancelled: self.init("the client went away; the render was cancelled", status: .badRequest)
        default: self.init("\(error)")
        }
    }
}
