/// Command-line durations: `250ms`, `1s`, `1.5s`, `2m`, `1h`, `500us`; a bare
/// number means milliseconds (DESIGN.md §7). Zero is allowed (`--block-time 0`).
public enum DurationArgument {
    /// The duration `text` names, or nil if it is not a non-negative number with a known unit.
    public static func parse(_ text: String) -> Duration? {
        let units: [(suffix: String, nanosecondsPerUnit: Double)] = [
            ("ns", 1), ("us", 1e3), ("µs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
        ]
        var number = Substring(text)
        var scale = 1e6
        for unit in units where text.hasSuffix(unit.suffix) {
            let candidate = text.dropLast(unit.suffix.count)
            if candidate.last.map({ $0.isNumber || $0 == "." }) == true {
                number = candidate
                scale = unit.nanosecondsPerUnit
                break
            }
        }
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              number.filter({ $0 == "." }).count <= 1, let value = Double(number), value.isFinite, value >= 0
        else { return nil }
        let nanos = value * scale
        guard nanos < 1e18 else { return nil }
        return .nanoseconds(Int64(nanos.rounded()))
    }

    /// A short rendering for banners and logs: `250ms`, `1s`, `2m`.
    public static func format(_ d: Duration) -> String {
        let ns = d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000
        if ns == 0 { return "0" }
        if ns % 60_000_000_000 == 0 { return "\(ns / 60_000_000_000)m" }
        if ns % 1_000_000_000 == 0 { return "\(ns / 1_000_000_000)s" }
        if ns % 1_000_000 == 0 { return "\(ns / 1_000_000)ms" }
        if ns % 1_000 == 0 { return "\(ns / 1_000)us" }
        return "\(ns)ns"
    }
}
