import JSON

extension JSONRPCParams {
    /// The required argument at `index` as an Ethereum hex quantity (`"0x1a"`:
    /// 0x prefix, 1–16 digits, no leading zeros), with geth's error wording.
    public func quantity(_ index: Int) throws(JSONRPCParamsError) -> UInt64 {
        let v = try required(index)
        guard let s = v.stringValue else { throw .invalid(index: index, reason: "expected a hex quantity string, got \(v.kindName)") }
        switch HexDecoding.quantity(s) {
        case .success(let q): return q
        case .failure(let reason): throw .invalid(index: index, reason: reason.rawValue)
        }
    }

    /// The required argument at `index` as Ethereum hex data (`"0x…"`, an even
    /// number of digits).
    public func hexData(_ index: Int) throws(JSONRPCParamsError) -> [UInt8] {
        let v = try required(index)
        guard let s = v.stringValue else { throw .invalid(index: index, reason: "expected a hex data string, got \(v.kindName)") }
        switch HexDecoding.data(s) {
        case .success(let d): return d
        case .failure(let reason): throw .invalid(index: index, reason: reason.rawValue)
        }
    }
}

/// Decoding of the hex strings Ethereum JSON-RPC uses for numbers and bytes.
enum HexDecoding {
    /// Why a hex string was rejected, worded as geth words it.
    enum Failure: String, Error {
        case missingPrefix = "hex string without 0x prefix"
        case empty = "hex string \"0x\""
        case leadingZero = "hex number with leading zero digits"
        case tooBig = "hex number > 64 bits"
        case oddLength = "hex string of odd length"
        case invalidDigit = "invalid hex string"
    }

    static func quantity(_ s: String) -> Result<UInt64, Failure> {
        var s = s
        return s.withUTF8 { u in
            guard u.count >= 2, u[0] == UInt8(ascii: "0"), u[1] | 0x20 == UInt8(ascii: "x") else { return .failure(.missingPrefix) }
            let digits = u.count - 2
            guard digits > 0 else { return .failure(.empty) }
            guard digits == 1 || u[2] != UInt8(ascii: "0") else { return .failure(.leadingZero) }
            guard digits <= 16 else { return .failure(.tooBig) }
            var v: UInt64 = 0
            for i in 2..<u.count {
                guard let d = nibble(u[i]) else { return .failure(.invalidDigit) }
                v = v << 4 | UInt64(d)
            }
            return .success(v)
        }
    }

    static func data(_ s: String) -> Result<[UInt8], Failure> {
        var s = s
        return s.withUTF8 { u in
            guard u.count >= 2, u[0] == UInt8(ascii: "0"), u[1] | 0x20 == UInt8(ascii: "x") else { return .failure(.missingPrefix) }
            guard u.count % 2 == 0 else { return .failure(.oddLength) }
            let n = (u.count - 2) / 2
            var invalid: UInt8 = 0
            let out = nibbleTable.withUnsafeBufferPointer { table in
                [UInt8](unsafeUninitializedCapacity: n) { buffer, initialized in
                    for i in 0..<n {
                        let hi = table[Int(u[2 &+ 2 &* i])]
                        let lo = table[Int(u[3 &+ 2 &* i])]
                        invalid |= hi | lo
                        buffer[i] = hi &<< 4 | lo & 0x0F
                    }
                    initialized = n
                }
            }
            return invalid & 0xF0 != 0 ? .failure(.invalidDigit) : .success(out)
        }
    }

    /// Each byte's hex digit value, or 0xFF when it is not a hex digit.
    private static let nibbleTable: [UInt8] = (0...255).map { b in
        switch UInt8(b) {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt8(b) - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt8(b) - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt8(b) - UInt8(ascii: "A") + 10
        default: 0xFF
        }
    }

    @inline(__always)
    private static func nibble(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b &- UInt8(ascii: "A") &+ 10
        default: nil
        }
    }
}
