import Foundation
import Hummingbird
import HummingbirdTesting
import Server
import Studio
import Testing

/// The original Lofi server's routes: its web client must work against ours unchanged.
@Suite struct OriginalRoutesTests {
    struct Expected: Decodable { let query: String; let body: String }

    /// Every golden latent, sent as a browser sends it (raw `[`, `]`, `,`), answers with the
    /// bytes the original server would have sent for the reference's song (built by Python's
    /// json module from the published layout), and parses twice into that song.
    @Test func decodeAnswersTheGoldensAsTheOriginalServerDid() async throws {
        let expected = try JSONDecoder().decode([Expected].self, from: ServerFixture.python("original_body.py", [ServerFixture.goldenPath]))
        let golden = try (JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: ServerFixture.goldenPath))) as! [[String: Any]])
            .map { try Self.canonical($0["expected"]!) }
        #expect(expected.count == 64)
        try await ServerFixture.server().application().test(.router) { client in
            for (i, e) in expected.enumerated() {
                try await client.execute(uri: "/decode?input=\(e.query)", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.accessControlAllowOrigin] == "*")
                    #expect(response.headers[.contentType] == "application/json")
                    let body = String(buffer: response.body)
                    #expect(body == e.body, "golden \(i)")
                    // The client's two parses: the string literal, then the song in it.
                    let inner = try JSONSerialization.jsonObject(with: Data(body.utf8), options: .fragmentsAllowed) as! String
                    #expect(try Self.canonical(JSONSerialization.jsonObject(with: Data(inner.utf8))) == golden[i], "golden \(i)")
                }
            }
        }
    }

    /// A parsed JSON value written back with sorted keys, for comparing two parses.
    static func canonical(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
    }

    /// `count` zeros, comma-separated.
    static func zeros(_ count: Int) -> String { Array(repeating: "0", count: count).joined(separator: ",") }

    /// Bad queries and what their error must say.
    static let badQueries: [(String, String)] = [
        ("/decode", "input: missing"),
        ("/decode?input=", "input: missing"),
        ("/decode?latent=[1,2]", "input: missing"),
        ("/decode?input=[1,2", "input: malformed JSON"),
        ("/decode?input=[" + zeros(99) + "]", "99 numbers; a latent vector has exactly 100"),
        ("/decode?input=[" + zeros(101) + "]", "101 numbers"),
        ("/decode?input=[1e999," + zeros(99) + "]", "input: malformed JSON"),
        ("/decode?input=[NaN," + zeros(99) + "]", "input: malformed JSON"),
        ("/decode?input=[1e7," + zeros(99) + "]", "not a finite number of sensible size"),
        ("/decode?input=[\"a\"," + zeros(99) + "]", "[0]: expected a number"),
        ("/decode?input=[[" + zeros(100) + "]]", "expected one array of 100 numbers"),
        ("/decode?input={}", "expected an array"),
        ("/decode?input=%ZZ", "malformed %-escape"),
        ("/decode?input=%FF%FE", "not UTF-8"),
        ("/predict", "input: missing"),
        ("/predict?input=%20%20%0A", "the text is empty"),
        ("/predict?input=%00abc", "binary data"),
        ("/predict?input=...%20!!!", "no words"),
    ]

    /// Percent-encoded queries decode too (`encodeURIComponent`, curl --data-urlencode).
    @Test func anEncodedLatentDecodesToTheSameBody() async throws {
        let expected = try JSONDecoder().decode([Expected].self, from: ServerFixture.python("original_body.py", [ServerFixture.goldenPath]))
        let e = expected[5]
        let encoded = e.query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        #expect(encoded.contains("%5B"))
        try await ServerFixture.server().application().test(.router) { client in
            try await client.execute(uri: "/decode?input=\(encoded)", method: .get) { response in
                #expect(String(buffer: response.body) == e.body)
            }
        }
    }

    /// Bad input: 400, a JSON error that says what is wrong, the CORS header; and the server
    /// goes on answering.
    @Test(arguments: badQueries)
    func badInputIsA400WithTheCORSHeader(uri: String, message: String) async throws {
        let good = "/decode?input=[" + Self.zeros(100) + "]"
        try await ServerFixture.server().application().test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.headers[.accessControlAllowOrigin] == "*")
                #expect(response.headers[.contentType] == "application/json")
                let error = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: String]
                #expect(error?["error"]?.contains(message) == true, "\(uri): \(String(buffer: response.body))")
            }
            try await client.execute(uri: good, method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    /// `/predict` is Lyrics2Lofi: the `lyrics` command's song for the text (seed 0), with
    /// the text's first line as its title, in the original's format.
    @Test func predictIsTheLyricsSongWithARealTitle() async throws {
        let verse = "I walked along the river late\nthe city lights were fading slow\nand every word I meant to say\nwas carried off by rain and snow"
        let model = try ModelChoice().load()
        let made = try SongRequests.lyrics(verse, model: model)
        let query = verse.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        try await ServerFixture.server(model: model).application().test(.router) { client in
            try await client.execute(uri: "/predict?input=\(query)", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.accessControlAllowOrigin] == "*")
                let inner = try JSONSerialization.jsonObject(with: Data(buffer: response.body), options: .fragmentsAllowed) as! String
                let song = try JSONSerialization.jsonObject(with: Data(inner.utf8)) as! [String: Any]
                #expect(song["title"] as? String == "I walked along the river late")
                #expect(song["chords"] as? [Int] == made.song.chords)
                #expect(song["melodies"] as? [[Int]] == made.song.melodies)
                #expect(song["key"] as? Int == made.song.key && song["mode"] as? Int == made.song.mode)
                #expect((song["chords"] as? [Int])?.count == 4, "one chord per line")
            }
        }
    }
}
