import Foundation
import Server
import Studio
import Testing
import TestScratch

/// The radio, listened to over real sockets: what arrives decodes (libsndfile's mpg123 and
/// libvorbis, other code than the encoders) to the station's first track as rendered for a
/// file, listeners of one station share bytes, and twenty of them keep real time.
@Suite(.serialized) struct RadioTests {
    let scratch = ScratchSpace()

    static func server(maxStations: Int = 4) -> LofiServer { ServerFixture.server(model: ServerFixture.bundledModel, port: 0, maxStations: maxStations) }

    /// The first track of a station, as `render` would make it (same song, same seed).
    static func firstTrack(_ tuning: StationTuning) throws -> (Song, StereoBuffer) {
        var program = StationProgram(tuning: tuning)
        let (song, seed) = try program.next(model: ServerFixture.bundledModel)
        let producer = TrackProducer(settings: AudioSettings(), soundfont: try AudioSettings().locateSoundfont(), workers: 1)
        return (song, try producer.audio(song, seed: seed))
    }

    /// The lag (within ±`search` frames) at which `b` best lines up with `a` over `length`
    /// frames from `from`, and the correlation there.
    static func alignment(_ a: [Float], _ b: [Float], from: Int, length: Int, search: Int) -> (Int, Double) {
        var best = (0, -2.0)
        for lag in -search...search {
            var ab = 0.0, aa = 0.0, bb = 0.0
            for i in from..<(from + length) {
                let x = Double(a[i]), y = Double(b[i + lag])
                ab += x * y; aa += x * x; bb += y * y
            }
            let r = ab / max(1e-12, (aa * bb).squareRoot())
            if r > best.1 { best = (lag, r) }
        }
        return best
    }

    /// Both formats of one station at once, for 15 s: each decodes to the station's first
    /// track as a file render makes it, at that render's loudness.
    @Test func fifteenSecondsOfAStationAreItsFirstTrackAtTheLoudnessTarget() async throws {
        let (mp3, ogg) = try await LiveServer.with(Self.server()) { port in
            async let mp3 = LiveServer.blocking { try StreamingClient.get(port: port, "/radio.mp3?seed=11", for: 15) }
            async let ogg = LiveServer.blocking { try StreamingClient.get(port: port, "/radio.ogg?seed=11", for: 15) }
            return try await (mp3, ogg)
        }
        let (_, track) = try Self.firstTrack(StationTuning(seed: 11))
        // The whole track is at the target.
        #expect(abs(LoudnessMeter.integrated(track) - -14) < 0.1)
        for (format, got) in [("mp3", mp3), ("ogg", ogg)] {
            #expect(got.status == 200)
            #expect(got.headers["content-type"] == (format == "mp3" ? "audio/mpeg" : "audio/ogg"))
            #expect(got.headers["access-control-allow-origin"] == "*")
            let url = scratch.path("radio.\(format)")
            try Data(got.body).write(to: url)
            let (heard, _) = try AudioFileReader.read(url.path)
            // Up to 15 s of waiting (the first render included) plus the 3 s sent at once.
            #expect(heard.duration > 8 && heard.duration < 18.5, "\(format): \(heard.duration) s")
            // The encoders delay the audio a little; find the lag, then compare.
            let (lag, r) = Self.alignment(track.left, heard.left, from: 3 * 44100, length: 22050, search: 2500)
            #expect(r > 0.98, "\(format): correlation \(r) at lag \(lag)")
            // The same seconds of both: the stream from where the track starts in it.
            let skip = max(0, lag), same = min(heard.frames - skip, track.frames)
            let piece = StereoBuffer(left: Array(track.left[0..<same]), right: Array(track.right[0..<same]), sampleRate: 44100)
            let aligned = StereoBuffer(left: Array(heard.left[skip..<(skip + same)]), right: Array(heard.right[skip..<(skip + same)]), sampleRate: 44100)
            let heardLoudness = LoudnessMeter.integrated(aligned), fileLoudness = LoudnessMeter.integrated(piece)
            #expect(abs(heardLoudness - fileLoudness) < 0.3, "\(format): stream \(heardLoudness) LUFS, file \(fileLoudness) LUFS over the same seconds")
            #expect(abs(heardLoudness - -14) < 3, "\(format): \(heardLoudness) LUFS")
        }
    }

    /// A second listener who joins later receives the same bytes from where it joins on.
    @Test func twoListenersOfOneStationGetTheSameBytes() async throws {
        let (a, b) = try await LiveServer.with(Self.server()) { port in
            async let first = LiveServer.blocking { try StreamingClient.get(port: port, "/radio.mp3?seed=5", for: 12) }
            try await Task.sleep(for: .seconds(7))
            async let second = LiveServer.blocking { try StreamingClient.get(port: port, "/radio.mp3?seed=5&_=x", for: 5) }
            return try await (first, second)
        }
        #expect(a.body.count > 100_000 && b.body.count > 50_000, "\(a.body.count), \(b.body.count) bytes")
        // b's bytes are one stretch of a's.
        let probe = Array(b.body.prefix(4096))
        let at = (0...(a.body.count - probe.count)).first { a.body[$0] == probe[0] && Array(a.body[$0..<($0 + probe.count)]) == probe }
        try #require(at != nil, "the second listener's first bytes are not in the first's stream")
        let common = min(a.body.count - at!, b.body.count)
        #expect(common > 40_000)
        #expect(Array(a.body[at!..<(at! + common)]) == Array(b.body[0..<common]))
    }

    /// Twenty listeners of one station on two cores: each gets audio at least as fast as
    /// it plays (MP3 at 192 kbit/s is 24,000 bytes a second).
    @Test func twentyListenersKeepRealTime() async throws {
        let results = try await LiveServer.with(Self.server()) { port in
            // The station is on air before the clock starts.
            _ = try await LiveServer.blocking { try StreamingClient.get(port: port, "/api/radio/now?seed=9", for: 60) }
            return try await withThrowingTaskGroup(of: StreamingClient.Received.self) { group in
                for _ in 0..<20 { group.addTask { try await LiveServer.blocking { try StreamingClient.get(port: port, "/radio.mp3?seed=9", for: 10) } } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        #expect(results.count == 20)
        for r in results {
            // 3 s at once, then real time: after 10 s, 13 s of audio (less the last tick).
            let seconds = Double(r.body.count) / 24_000
            #expect(seconds > 12 && seconds < 14.5, "\(seconds) s of audio in 10 s")
            // And steadily: in the last five seconds, five seconds' worth.
            let at5 = r.arrivals.last { $0.0 <= 5 }?.1 ?? 0
            #expect(Double(r.body.count - at5) / 24_000 > 4.5)
        }
    }

    /// What `/api/radio/now` names is what a listener hears: the station's first song (its
    /// title, key, chords), that many seconds in, by the bytes a listener has received.
    @Test func nowPlayingIsWhatAListenerHears() async throws {
        let tuning = try StationTuning(parameters: [("seed", "21"), ("mode", "minor")])
        let (song, track) = try Self.firstTrack(tuning)
        let (listened, now) = try await LiveServer.with(Self.server()) { port in
            async let listening = LiveServer.blocking { try StreamingClient.get(port: port, "/radio.mp3?seed=21&mode=minor", for: 9) }
            try await Task.sleep(for: .seconds(8))
            let now = try await LiveServer.blocking { try StreamingClient.get(port: port, "/api/radio/now?mode=aeolian&seed=21", for: 5) }
            return try await (listening, now)
        }
        let json = try JSONDecoder().decode(NowPlaying.self, from: Data(now.body))
        #expect(json.station == "seed=21&mode=6")
        #expect(json.playing.title == song.title && json.playing.mode == "minor" && json.playing.chords.count == song.progression.count,
                "\(String(decoding: now.body, as: UTF8.self)) vs \(song.jsonString(pretty: false))")
        #expect(abs(json.playing.duration! - track.duration) < 0.01)
        #expect(json.listeners == 1)
        // A listener hears the bytes received less the 3 s sent at once, less what is still
        // in its buffer: "seconds" lies between the two.
        let received = Double(listened.body.count) / 24_000
        #expect(json.seconds > received - 3 - 1.5 && json.seconds < received, "now says \(json.seconds) s; \(received) s received")
    }

    @Test func badStationsAndAFullDialAreRefused() async throws {
        try await LiveServer.with(Self.server(maxStations: 1)) { port in
            for (path, status, message) in [("/radio.mp3?mode=sideways", 400, "mode sideways: unknown"),
                                            ("/radio.ogg?bpm=90-70", 400, "bpm"),
                                            ("/api/radio/now?tempo=80", 400, "tempo: unknown station parameter"),
                                            ("/radio.mp3?seed=-1", 400, "seed -1"),
                                            ("/radio.mp3?seed=1&seed=2", 400, "given twice")] {
                let r = try await LiveServer.blocking { try StreamingClient.get(port: port, path, for: 5) }
                #expect(r.status == status, "\(path)")
                #expect(r.headers["access-control-allow-origin"] == "*")
                let error = try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: String]
                #expect(error?["error"]?.contains(message) == true, "\(path): \(String(decoding: r.body, as: UTF8.self))")
            }
            _ = try await LiveServer.blocking { try StreamingClient.get(port: port, "/api/radio/now?seed=1", for: 60) }
            let full = try await LiveServer.blocking { try StreamingClient.get(port: port, "/radio.mp3?seed=2", for: 5) }
            #expect(full.status == 503)
            #expect(String(decoding: full.body, as: UTF8.self).contains("1 stations are on air"))
        }
    }
}
