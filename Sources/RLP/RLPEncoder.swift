import Primitives

/// Appends RLP encodings to a growing byte array.
///
/// Lists are written either with `appendList { … }`, which reserves a one-byte
/// header and widens it afterwards only for payloads of 56 bytes or more, or,
/// when the payload length is known in advance (see `RLP.encodedLength`),
/// with `appendListHeader(payloadLength:)` followed by the items or by
/// already-encoded payload bytes, which moves nothing.
public struct RLPEncoder: Sendable {
    /// The encoding written so far.
    public var bytes: [UInt8]

    /// An empty encoder, reserving room for `capacity` bytes.
    public init(reservingCapacity capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends a byte string.
    @inlinable
    public mutating func append(bytes value: some Collection<UInt8>) {
        let done: Void? = value.withContiguousStorageIfAvailable { append(buffer: UnsafeRawBufferPointer($0)) }
        if done == nil {
            Array(value).withUnsafeBytes { append(buffer: $0) }
        }
    }

    /// Appends the byte string held in `buffer`.
    public mutating func append(buffer: UnsafeRawBufferPointer) {
        if buffer.count == 1 && buffer[0] < 0x80 {
            bytes.append(buffer[0])
            return
        }
        appendHeader(base: 0x80, length: buffer.count)
        bytes.append(contentsOf: buffer)
    }

    /// Appends a string's UTF-8 bytes as a byte string.
    public mutating func append(string: String) {
        var s = string
        s.withUTF8 { append(buffer: UnsafeRawBufferPointer($0)) }
    }

    /// Appends an unsigned integer: minimal big-endian bytes, zero as the empty string.
    public mutating func append(_ value: UInt64) {
        if value < 0x80 {
            bytes.append(value == 0 ? 0x80 : UInt8(value))
            return
        }
        let n = (64 - value.leadingZeroBitCount + 7) >> 3
        appendPrefixed(0x80 + UInt8(n), value, byteCount: n)
    }

    /// Appends a 256-bit unsigned integer: minimal big-endian bytes, zero as the empty string.
    public mutating func append(_ value: UInt256) {
        if let small = value.uint64 {
            append(small)
            return
        }
        let n = value.minimalByteCount
        var word: (UInt64, UInt64, UInt64, UInt64, UInt64) =
            (0, value.w3.bigEndian, value.w2.bigEndian, value.w1.bigEndian, value.w0.bigEndian)
        withUnsafeMutableBytes(of: &word) { all in
            all[39 - n] = 0x80 + UInt8(n)
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: all[(39 - n)...]))
        }
    }

    /// Appends a whole item tree.
    public mutating func append(_ item: RLPItem) {
        switch item {
        case .bytes(let b):
            append(bytes: b)
        case .list(let items):
            appendListHeader(payloadLength: items.reduce(0) { $0 + RLP.encodedLength(of: $1) })
            for child in items { append(child) }
        }
    }

    /// Appends bytes that are already RLP (one or more encoded items), as
    /// the payload of a list whose header was written before.
    @inlinable
    public mutating func append(encoded: some Collection<UInt8>) {
        bytes.append(contentsOf: encoded)
    }

    /// Writes the header of a list whose payload of `payloadLength` bytes
    /// the caller appends next.
    public mutating func appendListHeader(payloadLength: Int) {
        appendHeader(base: 0xc0, length: payloadLength)
    }

    /// Writes a list whose items `body` appends; the header is sized after.
    public mutating func appendList<E: Error>(_ body: (inout RLPEncoder) throws(E) -> Void) throws(E) {
        let start = bytes.count
        bytes.append(0xc0)
        try body(&self)
        let length = bytes.count - start - 1
        if length < 56 {
            bytes[start] = 0xc0 + UInt8(length)
        } else {
            let lengthOfLength = (64 - UInt64(length).leadingZeroBitCount + 7) >> 3
            bytes.append(contentsOf: repeatElement(0, count: lengthOfLength))
            bytes.withUnsafeMutableBytes { out in
                let payload = out.baseAddress! + start + 1
                (payload + lengthOfLength).copyMemory(from: payload, byteCount: length)
                out[start] = 0xf7 + UInt8(lengthOfLength)
                for i in 0..<lengthOfLength {
                    out[start + 1 + i] = UInt8(truncatingIfNeeded: length >> ((lengthOfLength - 1 - i) * 8))
                }
            }
        }
    }

    /// Writes a string (`base` 0x80) or list (`base` 0xc0) header for `length` payload bytes.
    mutating func appendHeader(base: UInt8, length: Int) {
        if length < 56 {
            bytes.append(base + UInt8(length))
            return
        }
        let n = (64 - UInt64(length).leadingZeroBitCount + 7) >> 3
        appendPrefixed(base + 55 + UInt8(n), UInt64(length), byteCount: n)
    }

    /// Appends `prefix` and then the low `byteCount` bytes of `value`, big-endian, in one copy.
    private mutating func appendPrefixed(_ prefix: UInt8, _ value: UInt64, byteCount n: Int) {
        var word = (UInt64(0), value.bigEndian)
        withUnsafeMutableBytes(of: &word) { all in
            all[15 - n] = prefix
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: all[(15 - n)...]))
        }
    }
}
