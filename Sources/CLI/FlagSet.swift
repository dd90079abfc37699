/// The flags one command accepts, parsed by hand (no third-party argument
/// parser). `--name value`, `--name=value` and boolean `--name` are accepted;
/// `--` ends flags. Help text is generated from the same declarations, so the
/// two cannot drift apart.
public struct FlagSet: Sendable {
    /// One declared flag.
    public struct Flag: Sendable {
        public let name: String
        public let valueName: String?
        public let help: String
        public let defaultValue: String?

        /// A boolean flag (present or not) when `valueName` is nil.
        public init(_ name: String, value valueName: String? = nil, default defaultValue: String? = nil, help: String) {
            self.name = name
            self.valueName = valueName
            self.help = help
            self.defaultValue = defaultValue
        }
    }

    public let flags: [Flag]

    public init(_ flags: [Flag]) {
        self.flags = flags + [Flag("help", help: "Show this help.")]
    }

    /// Parses `arguments` (without the command words) into values and positionals.
    public func parse(_ arguments: [String]) throws(CommandLineError) -> ParsedArguments {
        var values: [String: String] = [:]
        var present: Set<String> = []
        var positionals: [String] = []
        var i = 0
        var flagsEnded = false
        while i < arguments.count {
            let arg = arguments[i]
            i += 1
            if flagsEnded || !arg.hasPrefix("-") || arg == "-" {
                positionals.append(arg)
                continue
            }
            if arg == "--" { flagsEnded = true; continue }
            var name = String(arg.drop(while: { $0 == "-" }))
            var inline: String?
            if let eq = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            if name == "h" { name = "help" }
            guard let flag = flags.first(where: { $0.name == name }) else {
                throw .unknownFlag(name, suggestion: suggestion(for: name))
            }
            present.insert(name)
            if flag.valueName == nil {
                if let inline, !["true", "false"].contains(inline) {
                    throw .invalidValue(flag: name, value: inline, expected: "true or false")
                }
                values[name] = inline ?? "true"
            } else if let inline {
                values[name] = inline
            } else {
                guard i < arguments.count else { throw .missingValue(flag: name) }
                values[name] = arguments[i]
                i += 1
            }
        }
        for flag in flags where values[flag.name] == nil {
            if let d = flag.defaultValue { values[flag.name] = d }
        }
        return ParsedArguments(values: values, explicitlySet: present, positionals: positionals)
    }

    /// The help text: usage line, then one line per flag with its default.
    public func help(usage: String, summary: String) -> String {
        var out = "\(summary)\n\nUsage: \(usage)\n\nFlags:\n"
        let rows = flags.map { f -> (String, String) in
            let left = "  --\(f.name)" + (f.valueName.map { " \($0)" } ?? "")
            let right = f.help + (f.defaultValue.map { " (default: \($0))" } ?? "")
            return (left, right)
        }
        let width = (rows.map(\.0.count).max() ?? 0) + 2
        for (l, r) in rows { out += l + String(repeating: " ", count: width - l.count) + r + "\n" }
        return out
    }

    private func suggestion(for name: String) -> String? {
        flags.map(\.name).min { editDistance($0, name) < editDistance($1, name) }
            .flatMap { editDistance($0, name) <= 2 ? $0 : nil }
    }
}

func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    var row = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
        var prev = row[0]
        row[0] = i
        for j in stride(from: 1, through: b.count, by: 1) {
            let cur = row[j]
            row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1))
            prev = cur
        }
    }
    return a.isEmpty ? b.count : row[b.count]
}
