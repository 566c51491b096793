import Foundation
import LofiVAE
import Studio

extension FuzzTarget {
    /// `POST /api/lyrics` as the server runs it: the body (JSON when it starts with `{`, else
    /// the text itself) through LyricText, the phrasing, the model's song and its melody
    /// fitted to the syllables. Slower per input: the bundled model decodes each text.
    static let lyricsSong = FuzzTarget(name: "lyrics-song", reads: "a /api/lyrics body: JSON or text, to the finished song (SongRequests.lyricsBody with the bundled model)") { bytes in
        guard let model = FuzzScratch.model else { return }
        _ = try? SongRequests.lyricsBody(Data(bytes), json: bytes.first == UInt8(ascii: "{"), model: model)
    }
}
