import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle
import Studio

/// The endless radio: `/radio.mp3` and `/radio.ogg` stream a station (`?seed=&mode=&key=
/// &bpm=a-b&energy=a-b&valence=a-b`) over chunked HTTP; `/api/radio/now` says what it plays.
struct RadioRoutes: Sendable {
    let dial: RadioDial

    func add(to router: Router<ServerContext>) {
        router.get("radio.mp3") { request, _ in await stream(.mp3, query: request.uri.query) }
        router.get("radio.ogg") { request, _ in await stream(.ogg, query: request.uri.query) }
        router.get("api/radio/now") { request, _ in await now(query: request.uri.query) }
    }

    /// The station a query tunes, on air; or the problem as a 4xx/5xx.
    func station(_ query: String?) async throws(RequestProblem) -> RadioStation {
        let tuning: StationTuning
        do { tuning = try StationTuning(parameters: QueryString(query).pairs) } catch let e as RequestProblem { throw e } catch {
            throw RequestProblem("\(error)")
        }
        let station: RadioStation
        do { station = try dial.station(tuning) } catch { throw RequestProblem(error.description, status: .serviceUnavailable) }
        if let failure = await station.waitUntilOnAir() {
            // An impossible constraint is the request's fault; anything else is ours.
            let status: HTTPResponse.Status = failure.contains("satisfies it") ? .badRequest : .internalServerError
            throw RequestProblem(failure, status: status)
        }
        return station
    }

    func stream(_ format: AudioFormat, query: String?) async -> Response {
        let station: RadioStation
        do { station = try await self.station(query) } catch { return JSONReply.error(error) }
        if let failure = await station.prepare(format) {
            return JSONReply.error(RequestProblem(failure, status: .internalServerError))
        }
        let bytes = station.listen(format)
        let dial = self.dial
        return Response(
            status: .ok,
            headers: [.contentType: format == .mp3 ? "audio/mpeg" : "audio/ogg", .cacheControl: "no-store",
                      .accessControlAllowOrigin: "*", HTTPField.Name("X-Station")!: station.tuning.name],
            body: ResponseBody { writer in
                // A shutdown ends every station, which ends this stream; a client that goes
                // away ends it by failing the write.
                try await withGracefulShutdownHandler {
                    for await chunk in bytes { try await writer.write(ByteBuffer(bytes: chunk)) }
                } onGracefulShutdown: {
                    dial.stopAll()
                }
                try await writer.finish(nil)
            })
    }

    func now(query: String?) async -> Response {
        let station: RadioStation
        do { station = try await self.station(query) } catch { return JSONReply.error(error) }
        guard let now = station.nowPlaying() else {
            return JSONReply.error(RequestProblem("the station has not started", status: .serviceUnavailable))
        }
        return JSONReply.encoded(now)
    }
}
