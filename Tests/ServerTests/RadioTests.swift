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

    /// `serve` with the bundled model, as a user starts it.
    static func server(maxStations: Int = 4, speed: Double = 1) -> [String] {
        ["--max-stations", "\(maxStations)", "--radio-speed", "\(speed)"]
    }

    /// The first track of a station, as `render` would make it (same song, same seed).
    static func firstTrack(_ tuning: StationTuning) throws -> (Song, StereoBuffer) {
        var program = StationProgram(tuning: tuning)
        let (song, seed) = try program.next(model: ServerFixture.bundledModel)
        let producer = TrackProducer(settings: AudioSettings(), soundfont: try AudioSettings().locateSoundfont(), workers: 1)
        return (song, try producer.audio(song, seed: seed))
    }

    /// Where `heard` begins in `track`: the offset with heard[i] ≈ track[i + offset] (negative
    /// when an encoder's delay puts silence first), found on 32-sample means over up to
    /// `within` seconds, then sample-exact; and the correlation there.
    static func locate(_ heard: StereoBuffer, in track: StereoBuffer, within: Double) -> (offset: Int, r: Double) {
        func means(_ x: ArraySlice<Float>) -> [Float] { stride(from: x.startIndex, to: x.endIndex - 32, by: 32).map { i in x[i..<(i + 32)].reduce(0, +) / 32 } }
        let coarseTrack = means(track.left.prefix(Int((within + 8) * 44100))[...]), coarseHeard = means(heard.left.prefix(8 * 44100)[...])
        let probe = 4 * 44100 / 32, n = 1500, pad = 100
        var best = (0, -2.0)
        for shift in -pad..<Int(within * 44100 / 32) where probe + shift >= 0 && probe + shift + n < coarseTrack.count {
            var ab = 0.0, aa = 0.0, bb = 0.0
            for i in probe..<(probe + n) {
                let x = Double(coarseTrack[i + shift]), y = Double(coarseHeard[i])
                ab += x * y; aa += x * x; bb += y * y
            }
            let r = ab / max(1e-12, (aa * bb).squareRoot())
            if r > best.1 { best = (shift, r) }
        }
        var offset = best.0 * 32, fineBest = -2.0
        let at = 5 * 44100
        for fine in (best.0 * 32 - 1000)...(best.0 * 32 + 1000) where at + fine >= 0 {
            var ab = 0.0, aa = 0.0, bb = 0.0
            for i in at..<(at + 11025) {
                let x = Double(track.left[i + fine]), y = Double(heard.left[i])
                ab += x * y; aa += x * x; bb += y * y
            }
            let r = ab / max(1e-12, (aa * bb).squareRoot())
            if r > fineBest { fineBest = r; offset = fine }
        }
        return (offset, fineBest)
    }

    /// Both formats of one station at once, for 15 s: each decodes to the station's first
    /// track as a file render makes it, at that render's loudness.
    @Test func fifteenSecondsOfAStationAreItsFirstTrackAtTheLoudnessTarget() async throws {
        let ((mp3, ogg, now, file), _) = try await ServerProcess.with(Self.server()) { port in
            // On air first (the first render may take a while beside the other suites).
            let now = try await ServerProcess.blocking { try StreamingClient.get(port: port, "/api/radio/now?seed=11", for: 120) }
            async let mp3 = ServerProcess.blocking { try StreamingClient.get(port: port, "/radio.mp3?seed=11", for: 15) }
            async let ogg = ServerProcess.blocking { try StreamingClient.get(port: port, "/radio.ogg?seed=11", for: 15) }
            let streams = try await (mp3, ogg)
            // The station's first song is the prior sample (11, 0), arranged with seed 11:
            // the same server renders it as a file.
            let songs = try await ServerProcess.blocking {
                try StreamingClient.request(port: port, "POST", "/api/songs", body: Array(#"{"seed": 11, "count": 1}"#.utf8), for: 60)
            }
            let song = try Song.decode(Data(songs.body))
            let file = try await ServerProcess.blocking {
                try StreamingClient.request(port: port, "POST", "/api/render?format=wav&seed=11", body: Array(song.jsonString().utf8), for: 120)
            }
            return (streams.0, streams.1, now, file)
        }
        #expect(file.status == 200)
        let fileURL = scratch.path("first.wav")
        try Data(file.body).write(to: fileURL)
        let (track, _) = try AudioFileReader.read(fileURL.path)
        let playing = try JSONDecoder().decode(NowPlaying.self, from: Data(now.body))
        #expect(abs(playing.playing.duration! - track.duration) < 0.01, "the file is the track on air")
        // The whole track is at the target.
        #expect(abs(LoudnessMeter.integrated(track) - -14) < 0.1)
        for (format, got) in [("mp3", mp3), ("ogg", ogg)] {
            #expect(got.status == 200)
            #expect(got.headers["content-type"] == (format == "mp3" ? "audio/mpeg" : "audio/ogg"))
            #expect(got.headers["access-control-allow-origin"] == "*")
            let url = scratch.path("radio.\(format)")
            try Data(got.body).write(to: url)
            let (heard, _) = try AudioFileReader.read(url.path)
            // 15 s of listening plus the 3 s sent at once.
            #expect(heard.duration > 14 && heard.duration < 18.5, "\(format): \(heard.duration) s")
            // The listener joined a little after the station went on air, and the encoders
            // delay the audio a little: find where the stream is in the track, then compare.
            let (offset, r) = Self.locate(heard, in: track, within: 60)
            #expect(r > 0.98, "\(format): correlation \(r) at offset \(offset)")
            // The same seconds of both.
            let skip = max(0, -offset), from = max(0, offset), same = min(heard.frames - skip, track.frames - from)
            let piece = StereoBuffer(left: Array(track.left[from..<(from + same)]), right: Array(track.right[from..<(from + same)]), sampleRate: 44100)
            let aligned = StereoBuffer(left: Array(heard.left[skip..<(skip + same)]), right: Array(heard.right[skip..<(skip + same)]), sampleRate: 44100)
            let heardLoudness = LoudnessMeter.integrated(aligned), fileLoudness = LoudnessMeter.integrated(piece)
            #expect(abs(heardLoudness - fileLoudness) < 0.3, "\(format): stream \(heardLoudness) LUFS, file \(fileLoudness) LUFS over the same seconds")
            #expect(abs(heardLoudness - -14) < 3, "\(format): \(heardLoudness) LUFS")
        }
    }

    /// A second listener who joins later receives the same bytes from where it joins on.
    @Test func twoListenersOfOneStationGetTheSameBytes() async throws {
        let ((a, b), _) = try await ServerProcess.with(Self.server()) { port in
            _ = try await ServerProcess.blocking { try StreamingClient.get(port: port, "/api/radio/now?seed=5", for: 120) }
            async let first = ServerProcess.blocking { try StreamingClient.get(port: port, "/radio.mp3?seed=5", for: 12) }
            try await Task.sleep(for: .seconds(7))
            async let second = ServerProcess.blocking { try StreamingClient.get(port: port, "/radio.mp3?seed=5&_=x", for: 5) }
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
        let (results, _) = try await ServerProcess.with(Self.server()) { port in
            // The station is on air before the clock starts.
            _ = try await ServerProcess.blocking { try StreamingClient.get(port: port, "/api/radio/now?seed=9", for: 180) }
            return try await withThrowingTaskGroup(of: StreamingClient.Received.self) { group in
                for _ in 0..<20 { group.addTask { try await ServerProcess.blocking { try StreamingClient.get(port: port, "/radio.mp3?seed=9", for: 10) } } }
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
        let ((listened, now), _) = try await ServerProcess.with(Self.server()) { port in
            async let listening = ServerProcess.blocking { try StreamingClient.get(port: port, "/radio.mp3?seed=21&mode=minor", for: 9) }
            try await Task.sleep(for: .seconds(8))
            let now = try await ServerProcess.blocking { try StreamingClient.get(port: port, "/api/radio/now?mode=aeolian&seed=21", for: 5) }
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

    /// Across a track boundary: at 8× real time, the stream is read and `now` asked ten
    /// times a second. The title turns to the second track when the listener has heard the
    /// first track's length (as a file render of it measures) less half the crossfade, and
    /// the stream holds the second track's audio from where the station's timeline puts it.
    @Test func nowPlayingTurnsAtTheTrackBoundaryInTheStream() async throws {
        let tuning = StationTuning(seed: 31)
        var program = StationProgram(tuning: tuning)
        let first = try program.next(model: ServerFixture.bundledModel), second = try program.next(model: ServerFixture.bundledModel)
        let producer = TrackProducer(settings: AudioSettings(), soundfont: try AudioSettings().locateSoundfont(), workers: 1)
        let firstAudio = try producer.audio(first.song, seed: first.seed)
        let length = firstAudio.duration
        let speed = 3.0
        let ((stream, polls), _) = try await ServerProcess.with(Self.server(speed: speed)) { port in
            async let stream = ServerProcess.blocking { try StreamingClient.get(port: port, "/radio.ogg?seed=31", for: (length + 12) / speed + 8) }
            var polls: [(wall: Double, title: String, seconds: Double)] = []
            let start = Date()
            while Date().timeIntervalSince(start) < (length + 12) / speed + 6 {
                if let r = try? await ServerProcess.blocking({ try StreamingClient.get(port: port, "/api/radio/now?seed=31", for: 5) }),
                   let now = try? JSONDecoder().decode(NowPlaying.self, from: Data(r.body)) {
                    polls.append((Date().timeIntervalSince(start), now.playing.title, now.seconds))
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            return (try await stream, polls)
        }
        // The stream holds the first track, then the second from where the timeline says.
        // The listener joined a moment after the station went on air, so find where in the
        // first track its stream begins (coarsely on 32-sample means, then exactly).
        let url = scratch.path("boundary.ogg")
        try Data(stream.body).write(to: url)
        let (heard, _) = try AudioFileReader.read(url.path)
        let start2 = Int((length - RadioStation.Settings().crossfade) * 44100)
        let (offset, bestFine) = Self.locate(heard, in: firstAudio, within: 3)
        #expect(bestFine > 0.98, "the stream is the first track from \(offset) frames in: correlation \(bestFine)")
        try #require(heard.frames + offset > start2 + 7 * 44100, "\(heard.duration) s heard")
        let secondAudio = try producer.audio(second.song, seed: second.seed)
        let probe = 6 * 44100   // past the crossfade
        var ab = 0.0, aa = 0.0, bb = 0.0
        for i in probe..<(probe + 22050) {
            let x = Double(secondAudio.left[i]), y = Double(heard.left[start2 + i - offset])
            ab += x * y; aa += x * x; bb += y * y
        }
        #expect(ab / (aa * bb).squareRoot() > 0.98, "the second track after the boundary")
        let titles = polls.map(\.title)
        #expect(titles.first == first.song.title && titles.last == second.song.title, "\(Set(titles))")
        // The last poll of the first track and the first of the second bracket the turn,
        // which is where the first track's own render says: its length less the crossfade
        // it shares with the next, plus half of that crossfade.
        let turn = length - RadioStation.Settings().crossfade / 2
        guard let k = titles.firstIndex(of: second.song.title ?? ""), k > 0 else { Issue.record("no turn seen"); return }
        let before = polls[k - 1], after = polls[k]
        #expect(before.seconds <= turn + 0.05 && before.seconds > turn - 3, "last of the first track at \(before.seconds) s; the turn is at \(turn) s")
        // Seconds restart with the second track, counted from where its audio begins.
        #expect(after.seconds >= 2 - 0.05 && after.seconds < 2 + 3, "first of the second track at \(after.seconds) s")
    }

    @Test func badStationsAndAFullDialAreRefused() async throws {
        _ = try await ServerProcess.with(Self.server(maxStations: 1)) { port in
            for (path, status, message) in [("/radio.mp3?mode=sideways", 400, "mode sideways: unknown"),
                                            ("/radio.ogg?bpm=90-70", 400, "bpm"),
                                            ("/api/radio/now?tempo=80", 400, "tempo: unknown station parameter"),
                                            ("/radio.mp3?seed=-1", 400, "seed -1"),
                                            ("/radio.mp3?seed=1&seed=2", 400, "given twice")] {
                let r = try await ServerProcess.blocking { try StreamingClient.get(port: port, path, for: 5) }
                #expect(r.status == status, "\(path)")
                #expect(r.headers["access-control-allow-origin"] == "*")
                let error = try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: String]
                #expect(error?["error"]?.contains(message) == true, "\(path): \(String(decoding: r.body, as: UTF8.self))")
            }
            _ = try await ServerProcess.blocking { try StreamingClient.get(port: port, "/api/radio/now?seed=1", for: 180) }
            let full = try await ServerProcess.blocking { try StreamingClient.get(port: port, "/radio.mp3?seed=2", for: 5) }
            #expect(full.status == 503)
            #expect(String(decoding: full.body, as: UTF8.self).contains("1 stations are on air"))
        }
    }
}
