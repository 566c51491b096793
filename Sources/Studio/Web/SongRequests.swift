import Foundation
import LofiVAE
import Lyrics
import Theory

/// What the web front end asks of the model, as values and one-line errors: a latent
/// given as text, a text given as lyrics. The HTTP layer only moves bytes.
public enum SongRequests {
    /// The song for one latent written as JSON (`[0.1, -2, ...]`, 100 numbers), in the
    /// original server's body format.
    public static func originalDecode(latentText text: String, model: LofiModel) throws(StudioError) -> String {
        let (song, latent) = try decode(latentText: text, model: model)
        return OriginalSongBody.body(song, clamps: OriginalSongBody.Clamps(raw: model.rawMoods(for: latent)))
    }

    /// The song for one latent written as JSON, and the latent.
    public static func decode(latentText text: String, model: LofiModel) throws(StudioError) -> (Song, [Float]) {
        let vectors: [[Float]], single: Bool
        do { (vectors, single) = try LatentFile.parse(Data(text.utf8)) } catch { throw StudioError("input", error.description) }
        guard single else { throw StudioError("input", "expected one array of 100 numbers, not an array of arrays") }
        return (try DecodedLatents.songs(vectors, model: model)[0], vectors[0])
    }

    /// `POST /api/lyrics`: the body is the text, or with `json` the object
    /// `{"text": "...", "seed": n}`; the answer is the song JSON, its `lyrics` field filled.
    public static func lyricsBody(_ body: Data, json: Bool, model: LofiModel) throws(StudioError) -> String {
        var text = String(decoding: body, as: UTF8.self), seed: UInt64 = 0
        if json {
            guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any], let t = object["text"] as? String else {
                throw StudioError("body", "expected {\"text\": \"...\", \"seed\": n}, or the text itself as text/plain")
            }
            text = t
            if let s = object["seed"] { seed = try SongsRequest.seed(s) }
        } else if String(validating: body, as: UTF8.self) == nil {
            throw StudioError("body", "not valid UTF-8 text")
        }
        return try lyrics(text, seed: seed, model: model).song.jsonString() + "\n"
    }

    /// Lyrics2Lofi's song for a text (the `lyrics` command's defaults, seed 0 unless given).
    public static func lyrics(_ text: String, seed: UInt64 = 0, model: LofiModel) throws(StudioError) -> LyricsSong.Result {
        let words: LyricText
        do { words = try LyricText.read(Data(text.utf8), source: "input") } catch { throw StudioError(error.message) }
        var maker = LyricsSong()
        maker.seed = seed
        return try maker.make(words, model: model)
    }
}
