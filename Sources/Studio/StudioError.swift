/// What went wrong, as Studio reports it: the input at fault (a file, a folder, a value) and
/// the problem. A front end shows `description`, one line ("song.json: key 13 is outside 1…12").
public struct StudioError: Error, Sendable, CustomStringConvertible {
    /// The file, folder or value at fault; empty when the problem has no single input.
    public let input: String
    public let problem: String
    public let description: String

    public init(_ input: String, _ problem: String) {
        self.input = input
        self.problem = problem
        description = input.isEmpty ? problem : "\(input): \(problem)"
    }

    /// A problem of no single input ("no folders given").
    public init(_ problem: String) { self.init("", problem) }

    /// The input is named inside the sentence, not in front of it ("cannot write X: reason").
    init(input: String, problem: String, line: String) {
        self.input = input
        self.problem = problem
        description = line
    }
}
