import Foundation

/// Structured log lines on standard error, one event per line:
/// `ts=2026-11-25T20:41:07.123Z level=info event="policy changed" policy=priority`.
/// What an operator must see: start, recovery, policy and censorship
/// changes, pauses, errors. Thread-safe (one write per line).
public struct NodeLog: Sendable {
    public let enabled: Bool

    public init(enabled: Bool = true) { self.enabled = enabled }

    public func event(_ name: String, _ fields: [String: String], level: String = "info") {
        guard enabled else { return }
        var line = "ts=\(Date().ISO8601Format(Date.ISO8601FormatStyle(includingFractionalSeconds: true))) level=\(level) event=\(Self.quote(name))"
        for key in fields.keys.sorted() { line += " \(key)=\(Self.quote(fields[key]!))" }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static func quote(_ s: String) -> String {
        s.isEmpty || s.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\\\"") + "\"" : s
    }
}
