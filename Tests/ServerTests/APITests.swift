import Foundation
import Studio
import Testing
import TestScratch

/// The JSON API over real sockets: what it answers against the reference and the other
/// front ends, and its refusals (413, 429, 503) and cancellation.
@Suite(.serialized) struct APITests {
    let scratch = ScratchSpace()

    static func post(_ port: Int, _ path: String, _ body: String, type: String = "application/json", for seconds: Double = 120) throws -> StreamingClient.Received {
        try StreamingClient.request(port: port, "POST", path, body: Array(body.utf8), for: seconds, headers: ["Content-Type": type])
    }

    static func error(_ r: StreamingClient.Received) -> String {
        ((try? JSONSerialization.jsonObject(with: Data(r.body))) as? [String: String])?["error"] ?? String(decoding: r.body, as: UTF8.self)
    }

    /// Latents in, the reference's songs out (original checkpoint, argmax).
    @Test func songsFromLatentsAreTheGoldenDecodes() async throws {
        let golden = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: ServerFixture.goldenPath))) as! [[String: Any]]
        let picks = [0, 7, 33, 63]
        let latents = picks.map { golden[$0]["z"] as! [Double] }
        let body = String(decoding: try JSONSerialization.data(withJSONObject: ["latents": latents]), as: UTF8.self)
        let r = try await ServerProcess.with(ServerProcess.originalModel) { port in try await ServerProcess.blocking { try Self.post(port, "/api/songs", body) } }.0
        #expect(r.status == 200, "\(Self.error(r))")
        let songs = try JSONSerialization.jsonObject(with: Data(r.body)) as! [[String: Any]]
        try #require(songs.count == picks.count)
        for (song, i) in zip(songs, picks) {
            let expected = golden[i]["expected"] as! [String: Any]
            #expect(song["key"] as? Int == expected["key"] as? Int && song["mode"] as? Int == expected["mode"] as? Int, "golden \(i)")
            #expect(song["chords"] as? [Int] == expected["chords"] as? [Int], "golden \(i)")
            #expect(song["melodies"] as? [[Int]] == expected["melodies"] as? [[Int]], "golden \(i)")
            #expect(song["title"] as? String == expected["title"] as? String, "golden \(i)")
            #expect(abs((song["energy"] as! Double) - (expected["energy"] as! NSNumber).doubleValue) < 1e-9)
        }
    }

    /// A seed, a count and constraints: that many songs, each satisfying them, and the
    /// same request gives the same bytes.
    @Test func songsFromASeedSatisfyTheConstraints() async throws {
        let ((a, b), _) = try await ServerProcess.with { port in
            let body = #"{"seed": 3, "count": 3, "mode": "minor", "bpm": "70-85"}"#
            return (try await ServerProcess.blocking { try Self.post(port, "/api/songs", body) },
                    try await ServerProcess.blocking { try Self.post(port, "/api/songs", body) })
        }
        #expect(a.status == 200 && a.body == b.body)
        let songs = try JSONSerialization.jsonObject(with: Data(a.body)) as! [[String: Any]]
        #expect(songs.count == 3)
        for s in songs {
            #expect(s["mode"] as? Int == 6)
            #expect((70...85).contains(s["bpm"] as! Double))
            #expect(!(s["title"] as! String).hasPrefix("#"), "a readable title")
        }
    }

    /// Words in (plain text or JSON), a song with its lyrics out; MIDI and WAV out of a song.
    @Test func lyricsAndRendersAnswerAsTheCommandLineDoes() async throws {
        let verse = "I walked along the river late\nthe city lights were fading slow"
        let song = try SongRequests.lyrics(verse, seed: 4, model: ServerFixture.bundledModel).song
        let ((plain, json, midi, wav), _) = try await ServerProcess.with { port in
            let plain = try await ServerProcess.blocking { try Self.post(port, "/api/lyrics", verse, type: "text/plain") }
            let json = try await ServerProcess.blocking {
                try Self.post(port, "/api/lyrics", String(decoding: try JSONSerialization.data(withJSONObject: ["text": verse, "seed": 4]), as: UTF8.self))
            }
            let midi = try await ServerProcess.blocking { try Self.post(port, "/api/render?format=mid&seed=2", song.jsonString()) }
            let wav = try await ServerProcess.blocking { try Self.post(port, "/api/render?format=wav&seed=2", song.jsonString()) }
            return (plain, json, midi, wav)
        }
        #expect(plain.status == 200 && json.status == 200)
        #expect(String(decoding: json.body, as: UTF8.self) == song.jsonString() + "\n", "seed 4 as the library makes it")
        let plainSong = try Song.decode(Data(plain.body))
        #expect(plainSong.title == "I walked along the river late" && plainSong.lyrics?.count == plainSong.chords.count)
        #expect(midi.status == 200 && midi.headers["content-type"] == "audio/midi")
        #expect(midi.body == Array(try AudioSettings().arranger.arrange(song, seed: 2).midiData), "the MIDI `midi --seed 2` writes")
        #expect(wav.status == 200 && wav.headers["content-disposition"] == "attachment; filename=\"I walked along the river late.wav\"")
        let url = scratch.path("api.wav")
        try Data(wav.body).write(to: url)
        let (audio, _) = try AudioFileReader.read(url.path)
        #expect(abs(LoudnessMeter.integrated(audio) - -14) < 0.1)
        let score = try AudioSettings().arranger.arrange(song, seed: 2)
        #expect(abs(audio.duration - score.duration) < 4, "\(audio.duration) s for a \(score.duration) s score")
    }

    @Test func badBodiesAreRefusedWithWhatIsWrong() async throws {
        _ = try await ServerProcess.with(ServerProcess.originalModel) { port in
            for (path, body, status, message) in [
                ("/api/songs", "{", 400, "malformed JSON"),
                ("/api/songs", #"{"count": 0}"#, 400, "count: expected a whole number 1…100"),
                ("/api/songs", #"{"count": true}"#, 400, "count"),
                ("/api/songs", #"{"seed": -1}"#, 400, "seed"),
                ("/api/songs", #"{"mode": "sideways"}"#, 400, "mode sideways: unknown"),
                ("/api/songs", #"{"latents": [[1, 2]]}"#, 400, "latents[0]: 2 numbers"),
                ("/api/songs", #"{"latents": [], "seed": 1}"#, 400, "latents"),
                ("/api/songs", #"{"colour": "blue"}"#, 400, "colour: unknown field"),
                ("/api/lyrics", "   ", 400, "the text is empty"),
                ("/api/lyrics", #"{"words": "x"}"#, 400, "expected {\"text\""),
                ("/api/render?format=aiff", "{}", 400, "format aiff: unknown"),
                ("/api/render?format=wav", #"{"key": 13}"#, 400, "body:"),
                ("/api/render?format=wav&seed=x", "{}", 400, "seed"),
                ("/api/songs", String(repeating: " ", count: 1_100_000), 413, "over 1024 KB"),
                ("/api/render?format=mid", String(repeating: " ", count: 1_100_000), 413, "over 1024 KB"),
            ] {
                let r = try await ServerProcess.blocking { try Self.post(port, path, body, type: body.hasPrefix("{") ? "application/json" : "text/plain", for: 30) }
                #expect(r.status == status, "\(path) \(body.prefix(30)): \(r.status) \(Self.error(r))")
                #expect(r.headers["access-control-allow-origin"] == "*")
                #expect(Self.error(r).contains(message), "\(path) \(body.prefix(30)): \(Self.error(r))")
            }
        }
    }

    /// Per client at most `rendersPerMinute`; then 429 with Retry-After.
    @Test func aClientOverItsRateGets429() async throws {
        let song = ReviewSong.song.jsonString()
        let (codes, _) = try await ServerProcess.with(["--renders-per-minute", "2"]) { port in
            var codes: [(Int, String?)] = []
            for _ in 0..<3 {
                let r = try await ServerProcess.blocking { try Self.post(port, "/api/render?format=mid", song) }
                codes.append((r.status, r.headers["retry-after"]))
            }
            return codes
        }
        #expect(codes.map(\.0) == [200, 200, 429])
        #expect(codes[2].1.flatMap(Int.init).map { (1...60).contains($0) } == true)
    }

    /// One render at a time and none waiting: a second render while one runs gets 503; a
    /// client that goes away cancels its render.
    @Test func aFullQueueIs503AndAClientThatLeavesCancelsItsRender() async throws {
        let song = ReviewSong.song.jsonString()
        let (second, log) = try await ServerProcess.withLog(["--renders", "1", "--render-queue", "0"]) { port, log in
            // This client gives up after a second, mid-render.
            async let leaving = ServerProcess.blocking { try? Self.post(port, "/api/render?format=wav", song, for: 1) }
            try await Task.sleep(for: .milliseconds(400))
            let second = try await ServerProcess.blocking { try Self.post(port, "/api/render?format=mid", song, for: 10) }
            let left = try await leaving
            #expect(left == nil || left!.body.isEmpty, "it left before any answer")
            // The cancelled render stops at its next stage and frees its slot.
            for _ in 0..<300 where !log.text.contains("render cancelled") { try await Task.sleep(for: .milliseconds(100)) }
            return second
        }
        #expect(second.status == 503 && Self.error(second).contains("queue is full"))
        #expect(log.contains("render cancelled: the client went away (0 finished, 1 cancelled so far)"), "\(log)")
        #expect(!log.contains("POST /api/render 200"), "no render was answered")
    }
}

/// A small valid song for render requests.
enum ReviewSong {
    static let song = Song(title: "Crafted", key: 3, mode: 6, bpm: 80, energy: 0.4, valence: 0.3,
                           chords: [1, 6, 4, 5], melodies: [[1, 2, 3, 0, 5, 0, 3, 2], [1, 1, 0, 0, 6, 5, 0, 0], [4, 0, 4, 0, 3, 0, 2, 0], [5, 0, 0, 0, 7, 0, 0, 0]])
}
