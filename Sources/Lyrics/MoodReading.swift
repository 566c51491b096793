/// The mood a text shows, in the song JSON's terms, with the evidence for each figure.
///
/// Valence follows VADER's published method (Hutto & Gilbert, ICWSM 2014), written here
/// from its description: each word's lexicon valence, raised or lowered 0.293 by an
/// intensifier or a softener among the three words before it (0.95, 0.9 of that for the
/// second and third), raised 0.733 when written in capitals in a text that is not all
/// capitals, multiplied by −0.74 when a negation is among the three words before it; in a
/// line with "but", the words before it count half and those after it one and a half; each
/// "!" (up to four) adds 0.292 in the line's direction. A line's sum s becomes
/// s / √(s² + 15) in −1…1; the text's valence is (mean over lines + 1) / 2.
///
/// Energy is what the text shows of intensity: syllables per line (dense lines are sung
/// faster), exclamations, words in capitals, intensifiers, the strength of the sentiment and
/// words of motion or stillness (`MoodWords`).
public struct MoodReading: Sendable, Equatable {
    public var valence: Double
    public var energy: Double
    /// Mean VADER compound score of the lines, −1…1.
    public var compound: Double
    public var syllablesPerLine: Double
    public var exclamationLines: Double
    public var capitalWords: Double
    public var intensifiers: Int
    public var negations: Int
    public var arousal: Double

    /// How the figures were found, for the command line and the notes of a song.
    public var explanation: String {
        func f(_ x: Double) -> String { String(Double((x * 1000).rounded()) / 1000) }
        return "valence \(f(valence)) (VADER compound \(f(compound)), \(negations) negation(s)); "
            + "energy \(f(energy)) (\(f(syllablesPerLine)) syllables/line, \(f(exclamationLines)) of lines exclaimed, "
            + "\(f(capitalWords)) of words in capitals, \(intensifiers) intensifier(s), arousal \(f(arousal)))"
    }

    public init(text: LyricText, lexicon: SentimentLexicon) {
        let lines = text.lines
        let allCaps = !lines.contains { l in l.text.contains { $0.isLowercase } }
        var compounds: [Double] = []
        var exclaimed = 0, capitals = 0, words = 0, boosts = 0, negated = 0
        var arousalSum = 0.0
        for line in lines {
            let tokens = line.words.map(\.text)
            let lower = tokens.map { $0.lowercased().replacingOccurrences(of: "’", with: "'") }
            var scores = [Double](repeating: 0, count: tokens.count)
            for (i, w) in lower.enumerated() {
                words += 1
                let caps = tokens[i].count > 1 && tokens[i].allSatisfy { !$0.isLetter || $0.isUppercase }
                if caps { capitals += 1 }
                if MoodWords.lively.contains(w) { arousalSum += 1 }
                if MoodWords.still.contains(w) { arousalSum -= 1 }
                if MoodWords.boosters[w] != nil { boosts += 1 }
                guard var v = lexicon[w], MoodWords.boosters[w] == nil else { continue }
                if caps && !allCaps { v += v > 0 ? 0.733 : -0.733 }
                for back in 1...3 where i - back >= 0 {
                    if let b = MoodWords.boosters[lower[i - back]] {
                        let scale = [1.0, 0.95, 0.9][back - 1]
                        v += (v > 0 ? b : -b) * scale
                    }
                }
                if (1...3).contains(where: { i - $0 >= 0 && MoodWords.isNegation(lower[i - $0]) }) {
                    v *= -0.74
                    negated += 1
                }
                scores[i] = v
            }
            if let but = lower.firstIndex(of: "but") {
                for i in scores.indices { scores[i] *= i < but ? 0.5 : 1.5 }
            }
            var sum = scores.reduce(0, +)
            let bangs = min(4, line.text.filter { $0 == "!" }.count)
            if bangs > 0 { exclaimed += 1 }
            if sum != 0 { sum += (sum > 0 ? 1 : -1) * 0.292 * Double(bangs) }
            compounds.append(sum / (sum * sum + 15).squareRoot())
        }
        let n = Double(max(1, lines.count))
        compound = compounds.reduce(0, +) / n
        valence = min(1, max(0, (compound + 1) / 2))
        syllablesPerLine = Double(text.syllableCount) / n
        exclamationLines = Double(exclaimed) / n
        capitalWords = allCaps ? 1 : Double(capitals) / Double(max(1, words))
        intensifiers = boosts
        negations = negated
        arousal = max(-1, min(1, arousalSum / n))
        let density = min(1, max(0, (syllablesPerLine - 4) / 8))
        let strength = compounds.reduce(0) { $0 + abs($1) } / n
        let e = 0.2 + 0.3 * density + 0.2 * exclamationLines + 0.1 * min(1, 3 * capitalWords)
            + 0.1 * min(1, Double(boosts) / n) + 0.1 * strength + 0.2 * arousal
        energy = min(1, max(0, e))
    }
}
