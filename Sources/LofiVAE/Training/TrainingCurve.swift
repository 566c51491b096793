import Foundation

/// An SVG of the training curves: loss (train and validation) and accuracy (chord and
/// melody, validation free-running) per epoch.
public enum TrainingCurve {
    public static func svg(_ history: [EpochRecord], title: String) -> String {
        let w = 760.0, h = 300.0, pad = 48.0
        func panel(_ x0: Double, _ series: [(String, String, [Double])], _ label: String, fixed: ClosedRange<Double>?) -> String {
            let all = series.flatMap(\.2).filter(\.isFinite)
            let lo = fixed?.lowerBound ?? ((all.min() ?? 0) * 0.95), hi = fixed?.upperBound ?? max((all.max() ?? 1) * 1.05, lo + 1e-6)
            let pw = w / 2 - pad - 16, ph = h - 2 * pad
            let n = max(history.count - 1, 1)
            var s = "<g transform=\"translate(\(x0),\(pad))\">"
            s += "<rect width=\"\(pw)\" height=\"\(ph)\" fill=\"none\" stroke=\"#999\"/>"
            s += "<text x=\"\(pw / 2)\" y=\"-12\" text-anchor=\"middle\" font-size=\"13\">\(label)</text>"
            for k in 0...4 {
                let v = lo + (hi - lo) * Double(k) / 4, y = ph - ph * Double(k) / 4
                s += "<text x=\"-6\" y=\"\(y + 4)\" text-anchor=\"end\" font-size=\"10\">\(String(format: "%.2f", v))</text>"
            }
            s += "<text x=\"\(pw / 2)\" y=\"\(ph + 30)\" text-anchor=\"middle\" font-size=\"11\">epoch (1–\(history.count))</text>"
            for (i, (name, colour, values)) in series.enumerated() {
                let points = values.enumerated().map { k, v in
                    "\(String(format: "%.1f", pw * Double(k) / Double(n))),\(String(format: "%.1f", ph - ph * (min(max(v, lo), hi) - lo) / (hi - lo)))"
                }.joined(separator: " ")
                s += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.8\" points=\"\(points)\"/>"
                s += "<text x=\"8\" y=\"\(16 + 14 * Double(i))\" font-size=\"11\" fill=\"\(colour)\">\(name)</text>"
            }
            return s + "</g>"
        }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(h))\" font-family=\"sans-serif\">"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>"
        svg += "<text x=\"\(w / 2)\" y=\"18\" text-anchor=\"middle\" font-size=\"14\">\(title)</text>"
        svg += panel(pad, [("train loss", "#1f77b4", history.map(\.trainLoss)), ("validation loss", "#d62728", history.map(\.validationLoss))], "loss", fixed: nil)
        svg += panel(w / 2 + pad - 8, [("val chord acc (free-running)", "#2ca02c", history.map(\.validationChordAccuracy)),
                                       ("val melody acc (free-running)", "#9467bd", history.map(\.validationMelodyAccuracy)),
                                       ("train melody acc", "#8c564b", history.map(\.trainMelodyAccuracy))], "accuracy", fixed: 0...1)
        return svg + "</svg>\n"
    }
}
