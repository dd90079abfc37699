import Primitives

/// Amounts as people type them: wei (`1000`, `0x3e8`), or a decimal number
/// with a `wei`, `gwei`, `eth` or `ether` suffix (`1eth`, `0.5eth`, `20gwei`).
enum WeiAmount {
    /// The amount `text` names in wei; nil when it is malformed, has more
    /// fractional digits than its unit allows, or exceeds 2^256 − 1.
    static func parse(_ text: String) -> UInt256? {
        let lowered = text.lowercased().filter { $0 != " " && $0 != "_" }
        let units: [(suffix: String, decimals: Int)] = [("gwei", 9), ("ether", 18), ("eth", 18), ("wei", 0)]
        for unit in units where lowered.hasSuffix(unit.suffix) {
            return decimal(String(lowered.dropLast(unit.suffix.count)), decimals: unit.decimals)
        }
        if lowered.hasPrefix("0x") { return UInt256(hexQuantity: lowered) }
        return decimal(lowered, decimals: 0)
    }

    /// `wei` in ether with up to 18 decimals and no trailing zeros, e.g. `1.5`.
    static func ether(_ wei: UInt256) -> String {
        let (whole, fraction) = wei.quotientAndRemainder(dividingBy: oneEther)
        guard !fraction.isZero else { return whole.description }
        var digits = fraction.description
        digits = String(repeating: "0", count: 18 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole).\(digits)"
    }

    /// 10^18.
    static let oneEther = UInt256(1_000_000_000_000_000_000)

    private static func decimal(_ text: String, decimals: Int) -> UInt256? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ $0.allSatisfy(\.isASCII) }) else { return nil }
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : ""
        guard !(whole.isEmpty && fraction.isEmpty), fraction.count <= decimals, parts.count == 1 || !fraction.isEmpty else { return nil }
        let digits = String(whole) + fraction + String(repeating: "0", count: decimals - fraction.count)
        return UInt256(decimal: digits.isEmpty ? "0" : digits)
    }
}
