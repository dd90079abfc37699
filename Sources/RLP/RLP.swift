import Primitives

/// Recursive Length Prefix, Ethereum's serialization (Yellow Paper
/// appendix B): one-shot encoding and strict decoding of item trees, and the
/// encoded sizes callers need to write list headers before their payloads.
public enum RLP {
    /// How deep lists may nest before decoding fails. Ethereum's own
    /// structures nest at most four deep; the limit bounds the recursion an
    /// adversarial input can cause.
    public static let defaultMaxDepth = 64

    /// The encoding of `item`.
    public static func encode(_ item: RLPItem) -> [UInt8] {
        var encoder = RLPEncoder(reservingCapacity: encodedLength(of: item))
        encoder.append(item)
        return encoder.bytes
    }

    /// The encoding of a list whose items are already encoded: a header
    /// around their concatenation.
    public static func encodeList(encodedItems: [[UInt8]]) -> [UInt8] {
        let payload = encodedItems.reduce(0) { $0 + $1.count }
        var encoder = RLPEncoder(reservingCapacity: headerLength(payloadLength: payload) + payload)
        encoder.appendListHeader(payloadLength: payload)
        for item in encodedItems { encoder.append(encoded: item) }
        return encoder.bytes
    }

    /// Decodes exactly one item filling all of `bytes`, strictly.
    public static func decode(_ bytes: [UInt8], maxDepth: Int = defaultMaxDepth) throws(RLPError) -> RLPItem {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(RLPError) -> RLPItem in try decode(buffer: buffer, maxDepth: maxDepth) }
        }
        return try result.get()
    }

    /// Decodes exactly one item filling all of `buffer`, strictly.
    public static func decode(buffer: UnsafeRawBufferPointer, maxDepth: Int = defaultMaxDepth) throws(RLPError) -> RLPItem {
        var reader = RLPReader(buffer, maxDepth: maxDepth)
        let item = try reader.readItem()
        try reader.finish()
        return item
    }

    /// Checks that `buffer` is exactly one canonical item, reading every
    /// nested header, without building anything.
    public static func validate(buffer: UnsafeRawBufferPointer, maxDepth: Int = defaultMaxDepth) throws(RLPError) {
        var reader = RLPReader(buffer, maxDepth: maxDepth)
        try reader.skipValidating()
        try reader.finish()
    }

    /// The size of the header for a payload of `payloadLength` bytes (same for strings and lists).
    @inlinable
    public static func headerLength(payloadLength: Int) -> Int {
        payloadLength < 56 ? 1 : 1 + (64 - UInt64(payloadLength).leadingZeroBitCount + 7) >> 3
    }

    /// The encoded size of a byte string whose first byte is `first` (nil when empty).
    @inlinable
    public static func encodedLength(ofBytesCount count: Int, first: UInt8?) -> Int {
        if count == 1, let first, first < 0x80 { return 1 }
        return headerLength(payloadLength: count) + count
    }

    /// The encoded size of a byte string.
    @inlinable
    public static func encodedLength(ofBytes bytes: some Collection<UInt8>) -> Int {
        encodedLength(ofBytesCount: bytes.count, first: bytes.first)
    }

    /// The encoded size of an unsigned integer.
    @inlinable
    public static func encodedLength(of value: UInt64) -> Int {
        value < 0x80 ? 1 : 1 + (64 - value.leadingZeroBitCount + 7) >> 3
    }

    /// The encoded size of a 256-bit unsigned integer.
    @inlinable
    public static func encodedLength(of value: UInt256) -> Int {
        if let small = value.uint64 { return encodedLength(of: small) }
        return 1 + value.minimalByteCount
    }

    /// The encoded size of a list whose items encode to `payloadLength` bytes.
    @inlinable
    public static func encodedLength(listPayloadLength payloadLength: Int) -> Int {
        headerLength(payloadLength: payloadLength) + payloadLength
    }

    /// The encoded size of an item tree.
    public static func encodedLength(of item: RLPItem) -> Int {
        switch item {
        case .bytes(let b):
            return encodedLength(ofBytes: b)
        case .list(let items):
            return encodedLength(listPayloadLength: items.reduce(0) { $0 + encodedLength(of: $1) })
        }
    }
}
