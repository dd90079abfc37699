/// SplitMix64: a tiny seeded generator so a failing document can be regenerated from its seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Generates random valid JSON text: every number form, escapes of every kind,
/// surrogate pairs, raw multi-byte UTF-8, random whitespace, unique object keys.
struct RandomJSON {
    var rng: SplitMix64
    var out: [UInt8] = []

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    mutating func document(maxDepth: Int = 4) -> [UInt8] {
        out = []
        whitespace()
        value(depth: maxDepth)
        whitespace()
        return out
    }

    private mutating func roll(_ n: Int) -> Int { Int.random(in: 0..<n, using: &rng) }

    private mutating func whitespace() {
        guard roll(4) == 0 else { return }
        for _ in 0..<roll(3) + 1 { out.append([0x20, 0x09, 0x0A, 0x0D][roll(4)]) }
    }

    private mutating func value(depth: Int) {
        switch depth > 0 ? roll(9) : roll(6) {
        case 0: append("null")
        case 1: append(roll(2) == 0 ? "true" : "false")
        case 2, 3: number()
        case 4, 5: string(uniqueSuffix: nil)
        case 6, 7: array(depth: depth - 1)
        default: object(depth: depth - 1)
        }
    }

    private mutating func array(depth: Int) {
        out.append(UInt8(ascii: "["))
        whitespace()
        let n = roll(6)
        for i in 0..<n {
            if i > 0 { out.append(UInt8(ascii: ",")); whitespace() }
            value(depth: depth)
            whitespace()
        }
        out.append(UInt8(ascii: "]"))
    }

    private mutating func object(depth: Int) {
        out.append(UInt8(ascii: "{"))
        whitespace()
        let n = roll(6)
        for i in 0..<n {
            if i > 0 { out.append(UInt8(ascii: ",")); whitespace() }
            string(uniqueSuffix: i)
            whitespace()
            out.append(UInt8(ascii: ":"))
            whitespace()
            value(depth: depth)
            whitespace()
        }
        out.append(UInt8(ascii: "}"))
    }

    private mutating func number() {
        if roll(3) == 0 { out.append(UInt8(ascii: "-")) }
        if roll(5) == 0 {
            out.append(UInt8(ascii: "0"))
        } else {
            out.append(UInt8(ascii: "1") + UInt8(roll(9)))
            for _ in 0..<roll(roll(10) == 0 ? 30 : 12) { digit() }
        }
        if roll(3) == 0 {
            out.append(UInt8(ascii: "."))
            for _ in 0..<roll(10) + 1 { digit() }
        }
        if roll(4) == 0 {
            out.append(roll(2) == 0 ? UInt8(ascii: "e") : UInt8(ascii: "E"))
            switch roll(3) {
            case 0: out.append(UInt8(ascii: "+"))
            case 1: out.append(UInt8(ascii: "-"))
            default: break
            }
            for _ in 0..<roll(2) + 1 { digit() }
        }
    }

    private mutating func digit() { out.append(UInt8(ascii: "0") + UInt8(roll(10))) }

    /// A string; keys get a unique `#i` suffix so Foundation's dictionaries compare.
    private mutating func string(uniqueSuffix: Int?) {
        out.append(UInt8(ascii: "\""))
        for _ in 0..<roll(roll(8) == 0 ? 200 : 12) {
            switch roll(12) {
            case 0:
                let escapes = ["\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t"]
                append(escapes[roll(escapes.count)])
            case 1:
                var unit = UInt16.random(in: 0...0xFFFF, using: &rng)
                if unit & 0xF800 == 0xD800 { unit = 0x41 }
                append("\\u" + hex4(unit, upper: roll(2) == 0))
            case 2:
                let scalar = UInt32.random(in: 0x10000...0x10FFFF, using: &rng) - 0x10000
                append("\\u" + hex4(UInt16(0xD800 + (scalar >> 10)), upper: false))
                append("\\u" + hex4(UInt16(0xDC00 + (scalar & 0x3FF)), upper: true))
            case 3:
                let samples = ["é", "中", "€", "😀", "𝄞", "\u{7F}", "\u{80}", "\u{7FF}", "\u{800}", "\u{FFFD}", "\u{10FFFF}"]
                append(samples[roll(samples.count)])
            default:
                var b = UInt8(0x20 + roll(0x5F))
                if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { b = UInt8(ascii: "x") }
                out.append(b)
            }
        }
        if let uniqueSuffix { append("#\(uniqueSuffix)") }
        out.append(UInt8(ascii: "\""))
    }

    private mutating func append(_ s: String) { out.append(contentsOf: s.utf8) }

    private func hex4(_ v: UInt16, upper: Bool) -> String {
        let s = String(v, radix: 16, uppercase: upper)
        return String(repeating: "0", count: 4 - s.count) + s
    }
}
