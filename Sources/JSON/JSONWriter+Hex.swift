extension JSONWriter {
    /// Writes `value` as a quoted Ethereum hex quantity: `"0x"` and the digits
    /// without leading zeros (`"0x0"` for zero).
    public mutating func writeHexQuantity(_ value: UInt64) {
        separate()
        let nibbles = value == 0 ? 1 : (64 - value.leadingZeroBitCount + 3) / 4
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { out in
            out[0] = UInt8(ascii: "\"")
            out[1] = UInt8(ascii: "0")
            out[2] = UInt8(ascii: "x")
            var v = value
            var i = 2 + nibbles
            while i > 2 {
                out[i] = lowerHexDigit(UInt8(truncatingIfNeeded: v) & 0xF)
                v >>= 4
                i -= 1
            }
            out[3 + nibbles] = UInt8(ascii: "\"")
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: out[0..<(4 + nibbles)]))
        }
    }

    /// Writes `data` as quoted Ethereum hex data: `"0x"` and two lowercase digits per byte.
    public mutating func writeHexBytes(_ data: UnsafeRawBufferPointer) {
        separate()
        bytes.reserveCapacity(bytes.count + 2 * data.count + 4)
        appendRaw("\"0x")
        let pairs = hexPairs
        let chunk = 256
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 * chunk) { out in
            var start = 0
            while start < data.count {
                let end = min(start + chunk, data.count)
                var o = 0
                for i in start..<end {
                    let p = Int(data[i]) &* 2
                    out[o] = pairs[p]
                    out[o &+ 1] = pairs[p &+ 1]
                    o &+= 2
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: out[0..<o]))
                start = end
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Writes `data` as quoted Ethereum hex data.
    public mutating func writeHexBytes(_ data: [UInt8]) {
        data.withUnsafeBytes { writeHexBytes($0) }
    }

    /// Writes any byte collection as quoted Ethereum hex data.
    public mutating func writeHexBytes(_ data: some Collection<UInt8>) {
        if let done: Void = data.withContiguousStorageIfAvailable({ writeHexBytes(UnsafeRawBufferPointer($0)) }) {
            return done
        }
        writeHexBytes(Array(data))
    }
}

/// The two lowercase hex digits of every byte value, 512 bytes of constant data.
private var hexPairs: UnsafePointer<UInt8> {
    ("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff" as StaticString).utf8Start
}
