/// Writes frames as a server sends them: unmasked, unfragmented (RFC 6455 §5.2).
public enum WebSocketFrameEncoder {
    /// Appends one frame carrying `payload`. With `mask` (clients only) the
    /// payload is masked with that key.
    public static func append(opcode: WebSocketOpcode, payload: some Collection<UInt8>, fin: Bool = true,
                              mask: UInt32? = nil, into out: inout [UInt8]) {
        out.append((fin ? 0x80 : 0) | opcode.rawValue)
        let maskBit: UInt8 = mask == nil ? 0 : 0x80
        let count = payload.count
        if count < 126 {
            out.append(maskBit | UInt8(count))
        } else if count <= 0xFFFF {
            out.append(maskBit | 126)
            out.append(UInt8(count >> 8))
            out.append(UInt8(count & 0xFF))
        } else {
            out.append(maskBit | 127)
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: UInt64(count) >> UInt64(shift))) }
        }
        guard let mask else {
            out.append(contentsOf: payload)
            return
        }
        let key = [UInt8(mask >> 24), UInt8(mask >> 16 & 0xFF), UInt8(mask >> 8 & 0xFF), UInt8(mask & 0xFF)]
        out.append(contentsOf: key)
        for (i, byte) in payload.enumerated() { out.append(byte ^ key[i & 3]) }
    }

    /// One frame as a new array.
    public static func frame(opcode: WebSocketOpcode, payload: some Collection<UInt8>, fin: Bool = true, mask: UInt32? = nil) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(payload.count + 14)
        append(opcode: opcode, payload: payload, fin: fin, mask: mask, into: &out)
        return out
    }

    /// A close frame's payload: the code, then the reason cut to fit 125 bytes
    /// on a character boundary.
    public static func closePayload(code: WebSocketCloseCode, reason: String) -> [UInt8] {
        var out = [UInt8(code.rawValue >> 8), UInt8(code.rawValue & 0xFF)]
        var reasonBytes = 0
        for scalar in reason.unicodeScalars {
            let width = UTF8.width(scalar)
            guard reasonBytes + width <= 123 else { break }
            out.append(contentsOf: String(scalar).utf8)
            reasonBytes += width
        }
        return out
    }
}
