import Foundation
import Server
import Studio
import Testing

/// The page and the OpenAPI document: served from the binary, and every example the
/// document gives, sent to the server, answers with a status the document lists for it.
@Suite(.serialized) struct WebTests {
    @Test func thePageAndItsAssetsAreServedWithNothingFromElsewhere() async throws {
        let (pages, _) = try await ServerProcess.with(ServerProcess.originalModel) { port in
            try await ServerProcess.blocking { try ["/", "/web/app.js", "/web/style.css"].map { try StreamingClient.get(port: port, $0, for: 10) } }
        }
        #expect(pages.map(\.status) == [200, 200, 200])
        #expect(pages[0].headers["content-type"] == "text/html; charset=utf-8")
        let html = String(decoding: pages[0].body, as: UTF8.self)
        for id in ["play", "volume", "energy", "valence", "tempo", "mode", "np-title", "words", "seed", "share"] {
            #expect(html.contains("id=\"\(id)\""), "\(id)")
        }
        // Every control has a label (accessibility), and nothing is loaded from another host.
        for id in ["volume", "energy", "valence", "tempo", "mode", "words", "seed", "share-link"] { #expect(html.contains("for=\"\(id)\""), "label for \(id)") }
        for page in pages { #expect(!String(decoding: page.body, as: UTF8.self).contains("http://") && !String(decoding: page.body, as: UTF8.self).contains("https://")) }
        #expect(pages[0].headers["content-security-policy"]?.hasPrefix("default-src 'self'") == true)
    }

    @Test func everyExampleOfTheOpenAPIDocumentGetsADocumentedAnswer() async throws {
        let (checked, _) = try await ServerProcess.with { port in
            let doc = try await ServerProcess.blocking { try StreamingClient.get(port: port, "/openapi.json", for: 10) }
            #expect(doc.status == 200)
            let root = try JSONSerialization.jsonObject(with: Data(doc.body)) as! [String: Any]
            #expect(root["openapi"] as? String == "3.1.0")
            let paths = root["paths"] as! [String: [String: Any]]
            var checked: [String] = []
            for (path, operations) in paths.sorted(by: { $0.key < $1.key }) where !path.hasPrefix("/radio") {
                for (method, op) in operations {
                    let op = op as! [String: Any]
                    let responses = (op["responses"] as! [String: Any]).keys
                    // The query from the parameters' examples.
                    var query: [String] = []
                    for p in op["parameters"] as? [[String: Any]] ?? [] {
                        if let example = p["example"] { query.append("\(p["name"]!)=\("\(example)".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)") }
                    }
                    let uri = path + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
                    var bodies: [(String, String)] = []
                    if let content = (op["requestBody"] as? [String: Any])?["content"] as? [String: [String: Any]] {
                        for (type, media) in content {
                            var examples: [Any] = []
                            if let e = media["example"] { examples.append(e) }
                            for e in (media["examples"] as? [String: [String: Any]] ?? [:]).values { examples.append(e["value"]!) }
                            for e in examples {
                                bodies.append((type, e is String ? e as! String : String(decoding: try JSONSerialization.data(withJSONObject: e), as: UTF8.self)))
                            }
                        }
                    }
                    if method == "get" { bodies = [("", "")] }
                    for (type, body) in bodies {
                        let r = try await ServerProcess.blocking {
                            try StreamingClient.request(port: port, method.uppercased(), uri, body: Array(body.utf8), for: 60, headers: type.isEmpty ? [:] : ["Content-Type": type])
                        }
                        #expect(responses.contains(String(r.status)), "\(method) \(uri) \(type): \(r.status) is not documented")
                        #expect(r.status == 200, "\(method) \(uri) \(type): the example should succeed, got \(r.status) \(String(decoding: r.body.prefix(200), as: UTF8.self))")
                        checked.append("\(method) \(path) \(type)")
                    }
                }
            }
            return checked
        }
        #expect(checked.count >= 10, "\(checked)")
    }
}
