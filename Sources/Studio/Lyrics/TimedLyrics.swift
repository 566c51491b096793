import Foundation
import Theory

/// The `.lrc` file written beside a song's audio: each lyric line as it is sung, with the
/// time (minutes, seconds, hundredths) of its first syllable's note, so a player can show
/// the words in time. A line sung in every pass of the main section appears once per pass.
public struct TimedLyrics: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public var seconds: Double
        public var text: String
    }

    public var title: String
    public var lines: [Line]

    public init(score: Score) {
        title = score.title
        var lines: [Line] = []
        for e in score.lyrics {
            let words = e.syllable + (e.text.hasSuffix(" ") ? " " : "")
            if e.opensLine || lines.isEmpty {
                lines.append(Line(seconds: Double(e.tick) * score.secondsPerTick, text: words))
            } else {
                lines[lines.count - 1].text += words
            }
        }
        self.lines = lines.map { Line(seconds: $0.seconds, text: $0.text.trimmingCharacters(in: .whitespaces)) }
    }

    /// `[mm:ss.xx]` to the nearest hundredth.
    public static func stamp(_ seconds: Double) -> String {
        let hundredths = Int((seconds * 100).rounded())
        return String(format: "[%02d:%02d.%02d]", hundredths / 6000, hundredths / 100 % 60, hundredths % 100)
    }

    public var text: String {
        var s = "[ti:\(title.replacingOccurrences(of: "]", with: ")"))]\n[re:lofi-render]\n"
        for l in lines { s += Self.stamp(l.seconds) + l.text + "\n" }
        return s
    }

    /// The `.lrc` beside an audio file: same name, extension `lrc`.
    public static func url(besideAudio url: URL) -> URL { url.deletingPathExtension().appendingPathExtension("lrc") }
}
