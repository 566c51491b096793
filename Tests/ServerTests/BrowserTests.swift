import Foundation
import Server
import Studio
import Testing

/// The web player in a real browser: Debian's headless Chromium, driven by
/// `browser_check.py` (Selenium and chromedriver, installed by `scripts/setup --tests`).
@Suite(.serialized) struct BrowserTests {
    struct Report: Decodable {
        let title_before_play: String?
        let title_from_api: String
        let audio_started_at: Double?
        let audio_time_after_3s: Double
        let audio_paused: Bool
        let station: String
        let audio_src: String
        let minor_title_from_api: String
        let title_after_mood_change: String?
        let minor_audio_time: Double
        let share_link: String
        let share_link_songs: [[String: AnyCodableValue]]
        let playlist_after_seed: [String]
        let imported: [String]?
        let url_after_import: String
        let console: [[String: AnyCodableValue]]
        let play_latency: Double
        let original_client: [String: AnyCodableValue]
        let original_client_expected: [String: AnyCodableValue]
        let original_client_error: [String: AnyCodableValue]
    }

    @Test func thePagePlaysSwitchesStationsAndSharesPlaylists() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium"), FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver") else {
            Issue.record("Chromium and chromedriver are missing: run scripts/setup --tests (this test needs a real browser)")
            return
        }
        let (output, _) = try await ServerProcess.with { port in
            try await ServerProcess.blocking { try ServerFixture.python("browser_check.py", ["http://127.0.0.1:\(port)"]) }
        }
        let r = try JSONDecoder().decode(Report.self, from: output)
        #expect(r.console.isEmpty, "console errors: \(r.console)")
        // Now playing shows before play is pressed, as the API says.
        #expect(r.title_before_play == r.title_from_api)
        // The audio element plays: its clock advances about as fast as the wall clock.
        #expect(r.audio_started_at != nil && !r.audio_paused)
        #expect(r.audio_time_after_3s - (r.audio_started_at ?? 0) > 2.5, "\(r.audio_time_after_3s) s")
        // A mood change tunes another station, its title shows, and it plays.
        #expect(r.station == "seed=0&mode=minor" && r.audio_src.hasSuffix("/radio.mp3?seed=0&mode=minor"))
        #expect(r.title_after_mood_change == r.minor_title_from_api && r.minor_title_from_api != r.title_from_api)
        #expect(r.minor_audio_time > 0.5)
        // The share link, decoded by Python's zlib and base64, holds the playlist's song
        // in the original's eight fields; a link made that way opens as a playlist.
        #expect(r.share_link_songs.count == 1 && r.share_link_songs[0].keys.sorted() == ["bpm", "chords", "energy", "key", "melodies", "mode", "title", "valence"])
        #expect(r.playlist_after_seed.first?.hasPrefix(r.share_link_songs[0]["title"]?.string ?? "?") == true)
        #expect(r.imported?.first?.hasPrefix("Linked Song") == true)
        #expect(!r.url_after_import.contains("?"), "the link's query is cleared once imported")
        // Music within two seconds of pressing play (the page tuned in when it opened).
        #expect(r.play_latency < 2, "\(r.play_latency) s from the click to audio")
        // The original web client's request from another origin gets the song.
        #expect(r.original_client["song"]?.description == AnyCodableValue.object(r.original_client_expected).description, "\(r.original_client)")
        #expect(r.original_client["origin"]?.string?.hasPrefix("http://127.0.0.1:") == true)
        #expect(r.original_client_error["status"]?.description == "400.0", "\(r.original_client_error)")
    }
}

/// Just enough of a JSON value to decode the report's free-form parts.
enum AnyCodableValue: Decodable, CustomStringConvertible {
    case string(String), number(Double), bool(Bool), array([AnyCodableValue]), object([String: AnyCodableValue]), null

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([AnyCodableValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: AnyCodableValue].self)) }
    }

    var string: String? { if case .string(let s) = self { s } else { nil } }
    var description: String {
        switch self {
        case .string(let s): s
        case .number(let n): "\(n)"
        case .bool(let b): "\(b)"
        case .array(let a): "\(a)"
        case .object(let o): "{" + o.keys.sorted().map { "\($0): \(o[$0]!)" }.joined(separator: ", ") + "}"
        case .null: "null"
        }
    }
}
