import Primitives

/// One item found by `RLPReader`: its kind and where its bytes are.
/// Offsets are from the start of the buffer the reader was created on.
public struct RLPElement: Hashable, Sendable {
    /// Whether the item is a byte string or a list.
    public enum Kind: Hashable, Sendable {
        case bytes
        case list
    }

    /// Byte string or list.
    public var kind: Kind
    /// Where the item's header starts.
    public var offset: Int
    /// The payload: the string's bytes, or the list's encoded items.
    public var payload: Range<Int>

    /// The whole encoded item, header included.
    public var range: Range<Int> { offset..<payload.upperBound }
}

/// A strict, zero-copy RLP decoder: a cursor over a sequence of items in a
/// borrowed buffer.
///
/// Reading a list gives a child reader over its payload; reading a string
/// gives a slice of the input. Nothing is copied or allocated, so a
/// transaction's fields are read straight from the request bytes. Every
/// header is checked for the canonical form as it is read (see `RLPError`).
///
/// The reader borrows its buffer: it and the buffers it returns must not
/// outlive the `withUnsafeBytes` (or similar) scope that produced it.
public struct RLPReader {
    /// The whole input; every offset is relative to its start.
    public let buffer: UnsafeRawBufferPointer
    /// Where the next item starts.
    public private(set) var position: Int
    /// Where this sequence of items ends (the input's end, or a list's payload end).
    public let end: Int
    /// How many lists enclose this reader's items.
    public let depth: Int
    /// The deepest list nesting accepted.
    public let maxDepth: Int

    /// A reader over the items of `buffer` (usually exactly one item).
    public init(_ buffer: UnsafeRawBufferPointer, maxDepth: Int = RLP.defaultMaxDepth) {
        self.init(buffer: buffer, range: 0..<buffer.count, depth: 0, maxDepth: maxDepth)
    }

    private init(buffer: UnsafeRawBufferPointer, range: Range<Int>, depth: Int, maxDepth: Int) {
        self.buffer = buffer
        self.position = range.lowerBound
        self.end = range.upperBound
        self.depth = depth
        self.maxDepth = maxDepth
    }

    /// Whether every item has been read.
    @inlinable
    public var isAtEnd: Bool { position >= end }

    /// Throws `trailingBytes` unless every item has been read: call it after
    /// the last expected field so that extra fields are rejected.
    public func finish() throws(RLPError) {
        if position < end { throw .trailingBytes(offset: position) }
    }

    /// The next item's kind and ranges, without consuming it.
    public func peek() throws(RLPError) -> RLPElement {
        try header()
    }

    /// Parses and checks the header at `position`. Inlined into every
    /// reading method so the reader is never copied on the hot path.
    @inline(__always)
    private func header() throws(RLPError) -> RLPElement {
        let p = position
        guard p < end else { throw .truncated(offset: p) }
        let b = buffer[p]
        if b < 0x80 { return RLPElement(kind: .bytes, offset: p, payload: p..<(p + 1)) }
        let kind: RLPElement.Kind = b < 0xc0 ? .bytes : .list
        let short = b < 0xc0 ? b &- 0x80 : b &- 0xc0
        let start: Int
        let length: Int
        if short < 56 {
            start = p + 1
            length = Int(short)
            guard length <= end - start else {
                throw .lengthBeyondInput(offset: p, declared: UInt64(length), available: end - start)
            }
            if kind == .bytes && length == 1 && buffer[start] < 0x80 { throw .nonCanonicalSingleByte(offset: p) }
        } else {
            let lengthOfLength = Int(short) - 55
            guard lengthOfLength <= end - (p + 1) else { throw .truncated(offset: p) }
            guard buffer[p + 1] != 0 else { throw .leadingZeroInLength(offset: p) }
            var declared: UInt64 = 0
            for i in 0..<lengthOfLength { declared = declared << 8 | UInt64(buffer[p + 1 + i]) }
            start = p + 1 + lengthOfLength
            guard declared <= UInt64(end - start) else {
                throw .lengthBeyondInput(offset: p, declared: declared, available: end - start)
            }
            length = Int(declared)
            guard length >= 56 else { throw .nonCanonicalLength(offset: p, length: length) }
        }
        return RLPElement(kind: kind, offset: p, payload: start..<(start + length))
    }

    /// Reads the next item, of either kind, and moves past it.
    public mutating func next() throws(RLPError) -> RLPElement {
        let element = try header()
        position = element.payload.upperBound
        return element
    }

    /// Reads a byte string and returns its bytes (a slice of the input).
    public mutating func readBytes() throws(RLPError) -> UnsafeRawBufferPointer {
        let element = try header()
        guard element.kind == .bytes else { throw .expectedBytes(offset: element.offset) }
        position = element.payload.upperBound
        return UnsafeRawBufferPointer(rebasing: buffer[element.payload])
    }

    /// Reads a byte string of exactly `count` bytes (an address, a hash).
    public mutating func readBytes(count: Int) throws(RLPError) -> UnsafeRawBufferPointer {
        let start = position
        let bytes = try readBytes()
        guard bytes.count == count else {
            position = start
            throw .wrongByteCount(offset: start, byteCount: bytes.count, expected: count)
        }
        return bytes
    }

    /// Reads a list and returns a reader over its items; this reader moves past the whole list.
    public mutating func readList() throws(RLPError) -> RLPReader {
        let element = try header()
        guard element.kind == .list else { throw .expectedList(offset: element.offset) }
        guard depth < maxDepth else { throw .nestingTooDeep(offset: element.offset, limit: maxDepth) }
        position = element.payload.upperBound
        return RLPReader(buffer: buffer, range: element.payload, depth: depth + 1, maxDepth: maxDepth)
    }

    /// Reads a canonical unsigned integer that fits in 64 bits.
    public mutating func readUInt64() throws(RLPError) -> UInt64 {
        let bytes = try readIntegerBytes(maxBytes: 8)
        var value: UInt64 = 0
        for b in bytes { value = value << 8 | UInt64(b) }
        return value
    }

    /// Reads a canonical unsigned integer that fits in 256 bits.
    public mutating func readUInt256() throws(RLPError) -> UInt256 {
        let bytes = try readIntegerBytes(maxBytes: 32)
        return UInt256(bigEndianBuffer: bytes)!
    }

    /// Reads the bytes of a canonical integer: no leading zero, at most `maxBytes`.
    public mutating func readIntegerBytes(maxBytes: Int) throws(RLPError) -> UnsafeRawBufferPointer {
        let start = position
        let bytes = try readBytes()
        if bytes.count > maxBytes {
            position = start
            throw .integerTooLarge(offset: start, byteCount: bytes.count, maxBytes: maxBytes)
        }
        if let first = bytes.first, first == 0 {
            position = start
            throw .integerLeadingZero(offset: start)
        }
        return bytes
    }

    /// Reads the next item as a tree, copying its bytes.
    public mutating func readItem() throws(RLPError) -> RLPItem {
        let element = try header()
        switch element.kind {
        case .bytes:
            position = element.payload.upperBound
            return .bytes(Array(UnsafeRawBufferPointer(rebasing: buffer[element.payload])))
        case .list:
            var child = try readList()
            var items: [RLPItem] = []
            while !child.isAtEnd { items.append(try child.readItem()) }
            return .list(items)
        }
    }

    /// Moves past the next item after checking every header inside it.
    public mutating func skipValidating() throws(RLPError) {
        let element = try header()
        switch element.kind {
        case .bytes:
            position = element.payload.upperBound
        case .list:
            var child = try readList()
            while !child.isAtEnd { try child.skipValidating() }
        }
    }
}
