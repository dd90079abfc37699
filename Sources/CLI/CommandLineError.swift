/// What is wrong with a command line, phrased for the person who typed it.
public enum CommandLineError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownFlag(String, suggestion: String?)
    case missingValue(flag: String)
    case invalidValue(flag: String, value: String, expected: String)
    case unexpectedArgument(String)
    case missingArgument(String)
    case unknownCommand(String, known: [String])

    public var description: String {
        switch self {
        case let .unknownFlag(f, suggestion):
            "unknown flag --\(f)" + (suggestion.map { " (did you mean --\($0)?)" } ?? "")
        case let .missingValue(f): "flag --\(f) needs a value"
        case let .invalidValue(f, v, expected): "invalid value '\(v)' for --\(f): expected \(expected)"
        case let .unexpectedArgument(a): "unexpected argument '\(a)'"
        case let .missingArgument(a): "missing argument: \(a)"
        case let .unknownCommand(c, known): "unknown command '\(c)'; commands: \(known.joined(separator: ", "))"
        }
    }
}
