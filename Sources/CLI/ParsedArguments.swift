/// The result of parsing one command's arguments, with typed accessors whose
/// errors name the flag and what it expects.
public struct ParsedArguments: Sendable {
    public let values: [String: String]
    /// Flags that appeared on the command line (as opposed to defaults).
    public let explicitlySet: Set<String>
    public let positionals: [String]

    public var wantsHelp: Bool { values["help"] == "true" }

    public func string(_ name: String) -> String? { values[name] }

    public func bool(_ name: String) -> Bool { values[name] == "true" }

    public func int(_ name: String, in range: ClosedRange<Int> = Int.min...Int.max) throws(CommandLineError) -> Int? {
        guard let text = values[name] else { return nil }
        guard let v = Int(text), range.contains(v) else {
            throw .invalidValue(flag: name, value: text, expected: "an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return v
    }

    public func uint64(_ name: String) throws(CommandLineError) -> UInt64? {
        guard let text = values[name] else { return nil }
        let parsed = text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
        guard let v = parsed else { throw .invalidValue(flag: name, value: text, expected: "a non-negative integer") }
        return v
    }

    public func duration(_ name: String) throws(CommandLineError) -> Duration? {
        guard let text = values[name] else { return nil }
        guard let d = DurationArgument.parse(text) else {
            throw .invalidValue(flag: name, value: text, expected: "a duration like 250ms, 1s, 2m (bare numbers are milliseconds)")
        }
        return d
    }

    /// A comma-separated list, empty items dropped.
    public func list(_ name: String) -> [String] {
        guard let text = values[name] else { return [] }
        return text.split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
