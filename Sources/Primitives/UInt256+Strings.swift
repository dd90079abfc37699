/// Text forms: decimal for people and logs, and Ethereum JSON-RPC hex
/// quantities ("0x0", "0x1f") for the wire.
extension UInt256: CustomStringConvertible {
    /// The value in decimal.
    public var description: String {
        if let v = uint64 { return String(v) }
        var chunks: [UInt64] = []
        var rest = self
        let base: UInt64 = 10_000_000_000_000_000_000
        while !rest.isZero {
            let (q, r) = rest.quotientAndRemainder(dividingByWord: base)
            chunks.append(r)
            rest = q
        }
        var s = String(chunks.removeLast())
        for chunk in chunks.reversed() {
            let digits = String(chunk)
            s += String(repeating: "0", count: 19 - digits.count)
            s += digits
        }
        return s
    }
}

extension UInt256 {
    /// Parses unsigned decimal digits (no sign, no separators); nil when
    /// empty, malformed, or above 2^256 - 1.
    public init?(decimal string: some StringProtocol) {
        var value = UInt256.zero
        var any = false
        for c in string.utf8 {
            let d = c &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            let (high, m) = value.multipliedFullWidth(byWord: 10)
            let (s, o) = m.addingReportingOverflow(UInt256(UInt64(d)))
            guard high == 0 && !o else { return nil }
            value = s
            any = true
        }
        guard any else { return nil }
        self = value
    }

    /// Parses a JSON-RPC quantity: "0x" then at least one hex digit. With
    /// `strict`, leading zeros are rejected as the Ethereum spec requires
    /// ("0x0" is the only form of zero); otherwise they are tolerated, since
    /// many clients send them.
    public init?(hexQuantity string: some StringProtocol, strict: Bool = false) {
        guard let v = Hex.withUTF8(of: string, { UInt256(hexQuantityUTF8: $0, strict: strict) }) else { return nil }
        self = v
    }

    /// `init(hexQuantity:strict:)` over UTF-8 bytes, for the JSON fast path.
    public init?(hexQuantityUTF8 input: UnsafeRawBufferPointer, strict: Bool = false) {
        guard input.count >= 3, input[0] == UInt8(ascii: "0"), input[1] | 0x20 == UInt8(ascii: "x") else { return nil }
        if strict && input[1] != UInt8(ascii: "x") { return nil }
        var start = 2
        if strict && input[2] == UInt8(ascii: "0") && input.count > 3 { return nil }
        while start < input.count - 1 && input[start] == UInt8(ascii: "0") { start += 1 }
        let digitCount = input.count - start
        guard digitCount <= 64 else { return nil }
        var value = UInt256.zero
        var position = 0
        var i = input.count - 1
        while i >= start {
            guard let d = Hex.nibble(input[i]) else { return nil }
            value[limb: position >> 4] |= UInt64(d) << UInt64((position & 15) << 2)
            position += 1
            i -= 1
        }
        self = value
    }

    /// The value as a JSON-RPC quantity: lowercase hex, no leading zeros, "0x0" for zero.
    public var hexQuantity: String {
        if isZero { return "0x0" }
        let digits = (bitWidthUsed + 3) >> 2
        return String(unsafeUninitializedCapacity: digits + 2) { out in
            let table: StaticString = "0123456789abcdef"
            out[0] = UInt8(ascii: "0")
            out[1] = UInt8(ascii: "x")
            for k in 0..<digits {
                let position = digits - 1 - k
                let nibble = (self[limb: position >> 4] >> UInt64((position & 15) << 2)) & 0xf
                out[2 + k] = table.utf8Start[Int(nibble)]
            }
            return digits + 2
        }
    }
}
