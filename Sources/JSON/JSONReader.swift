/// A strict RFC 8259 cursor over JSON bytes, for callers that want to walk a
/// document without building all of it (the JSON-RPC envelope reader matches
/// member names as bytes and skips what it does not need).
///
/// The reader borrows `bytes`: it must not outlive the buffer it was made from.
/// It is a value owned by one thread at a time. Nesting is bounded by
/// `limits.maxDepth`, which also bounds recursion.
public struct JSONReader {
    /// The bytes being read.
    public let bytes: UnsafeRawBufferPointer
    /// The limits in force; input size is checked by `JSONParser`, depth here.
    public let limits: JSONLimits
    /// The offset of the next unread byte.
    public internal(set) var offset: Int = 0
    @usableFromInline var depth = 0
    @usableFromInline var scratch: [UInt8] = []

    /// A reader at the start of `bytes`.
    public init(_ bytes: UnsafeRawBufferPointer, limits: JSONLimits = .default) {
        self.bytes = bytes
        self.limits = limits
    }

    /// The first byte of the next value after skipping whitespace, or nil at the end.
    public mutating func peek() -> UInt8? {
        skipWhitespace()
        return offset < bytes.count ? bytes[offset] : nil
    }

    /// Checks that only whitespace remains.
    public mutating func finish() throws(JSONParseError) {
        skipWhitespace()
        if offset < bytes.count {
            throw .unexpectedByte(bytes[offset], offset: offset, expected: .endOfInput)
        }
    }

    /// Reads the next value into a tree.
    public mutating func readValue() throws(JSONParseError) -> JSONValue {
        try value(build: true)
    }

    /// Validates the next value without building it and returns its byte range.
    @discardableResult
    public mutating func skipValue() throws(JSONParseError) -> Range<Int> {
        skipWhitespace()
        let start = offset
        _ = try value(build: false)
        return start..<offset
    }

    /// Reads a string value and passes its decoded UTF-8 bytes to `body`. The
    /// buffer is valid only during the call (it points into the input when the
    /// string has no escapes, into scratch space otherwise).
    @inlinable
    public mutating func readString<R>(_ body: (UnsafeRawBufferPointer) -> R) throws(JSONParseError) -> R {
        skipWhitespace()
        guard offset < bytes.count else { throw .unexpectedEnd(offset: offset, expected: .value) }
        guard bytes[offset] == UInt8(ascii: "\"") else {
            throw .unexpectedByte(bytes[offset], offset: offset, expected: .value)
        }
        return try stringContents(body)
    }

    /// Reads an object, calling `key` with each member name's decoded bytes and then
    /// `member` with what `key` returned; `member` must consume exactly one value.
    @inlinable
    public mutating func readObject<Key>(
        key: (UnsafeRawBufferPointer) -> Key,
        member: (Key, inout JSONReader) throws(JSONParseError) -> Void
    ) throws(JSONParseError) {
        try openContainer(UInt8(ascii: "{"))
        if closeIfEmpty(UInt8(ascii: "}")) { return }
        while true {
            try expectMemberName()
            let k = try stringContents(key)
            try expectColon()
            try member(k, &self)
            if try endOfContainer(close: UInt8(ascii: "}"), expected: .commaOrCloseBrace) { return }
        }
    }

    /// Reads an array, calling `element` once per element; it must consume exactly one value.
    public mutating func readArray(
        element: (inout JSONReader) throws(JSONParseError) -> Void
    ) throws(JSONParseError) {
        try openContainer(UInt8(ascii: "["))
        if closeIfEmpty(UInt8(ascii: "]")) { return }
        while true {
            try element(&self)
            if try endOfContainer(close: UInt8(ascii: "]"), expected: .commaOrCloseBracket) { return }
        }
    }

    // MARK: - Grammar

    @usableFromInline
    mutating func skipWhitespace() {
        var i = offset
        let count = bytes.count
        while i < count {
            let b = bytes[i]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { break }
            i += 1
        }
        offset = i
    }

    /// Consumes the opening byte of a container, counting depth.
    @usableFromInline
    mutating func openContainer(_ open: UInt8) throws(JSONParseError) {
        skipWhitespace()
        guard offset < bytes.count else { throw .unexpectedEnd(offset: offset, expected: .value) }
        guard bytes[offset] == open else { throw .unexpectedByte(bytes[offset], offset: offset, expected: .value) }
        depth += 1
        if depth > limits.maxDepth { throw .nestingTooDeep(offset: offset, limit: limits.maxDepth) }
        offset += 1
    }

    /// Consumes the closing byte if the container just opened is empty.
    @usableFromInline
    mutating func closeIfEmpty(_ close: UInt8) -> Bool {
        skipWhitespace()
        guard offset < bytes.count, bytes[offset] == close else { return false }
        offset += 1
        depth -= 1
        return true
    }

    @usableFromInline
    mutating func expectMemberName() throws(JSONParseError) {
        skipWhitespace()
        guard offset < bytes.count else { throw .unexpectedEnd(offset: offset, expected: .memberName) }
        guard bytes[offset] == UInt8(ascii: "\"") else {
            throw .unexpectedByte(bytes[offset], offset: offset, expected: .memberName)
        }
    }

    @usableFromInline
    mutating func expectColon() throws(JSONParseError) {
        skipWhitespace()
        guard offset < bytes.count else { throw .unexpectedEnd(offset: offset, expected: .colon) }
        guard bytes[offset] == UInt8(ascii: ":") else {
            throw .unexpectedByte(bytes[offset], offset: offset, expected: .colon)
        }
        offset += 1
    }

    /// Consumes `,` (returning false) or the closing byte (returning true).
    @usableFromInline
    mutating func endOfContainer(close: UInt8, expected: JSONExpectation) throws(JSONParseError) -> Bool {
        skipWhitespace()
        guard offset < bytes.count else { throw .unexpectedEnd(offset: offset, expected: expected) }
        let b = bytes[offset]
        offset += 1
        if b == UInt8(ascii: ",") { return false }
        if b == close {
            depth -= 1
            return true
        }
        offset -= 1
        throw .unexpectedByte(b, offset: offset, expected: expected)
    }

    /// Parses one value; with `build == false` it only validates and returns `.null`.
    private mutating func value(build: Bool) throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        guard offset < bytes.count else { throw .unexpectedEnd(offset: offset, expected: .value) }
        switch bytes[offset] {
        case UInt8(ascii: "\""):
            if !build {
                _ = try scanString()
                return .null
            }
            return .string(try stringContents { String(decoding: $0, as: UTF8.self) })
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let range = try scanNumber()
            guard build else { return .null }
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
            return .number(JSONNumber(uncheckedText: text))
        case UInt8(ascii: "{"):
            return try object(build: build)
        case UInt8(ascii: "["):
            return try array(build: build)
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case let b:
            throw .unexpectedByte(b, offset: offset, expected: .value)
        }
    }

    private mutating func object(build: Bool) throws(JSONParseError) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = []
        if build { members.reserveCapacity(4) }
        try readObject(key: { build ? String(decoding: $0, as: UTF8.self) : "" }) { (key, reader) throws(JSONParseError) in
            let v = try reader.value(build: build)
            if build { members.append((key: key, value: v)) }
        }
        return build ? .object(members) : .null
    }

    private mutating func array(build: Bool) throws(JSONParseError) -> JSONValue {
        var elements: [JSONValue] = []
        if build { elements.reserveCapacity(4) }
        try readArray { (reader) throws(JSONParseError) in
            let v = try reader.value(build: build)
            if build { elements.append(v) }
        }
        return build ? .array(elements) : .null
    }

    private mutating func literal(_ word: StaticString) throws(JSONParseError) {
        let n = word.utf8CodeUnitCount
        let w = word.utf8Start
        for i in 0..<n {
            guard offset + i < bytes.count else {
                throw .unexpectedEnd(offset: offset + i, expected: .literal(word.description))
            }
            guard bytes[offset + i] == w[i] else {
                throw .unexpectedByte(bytes[offset + i], offset: offset + i, expected: .literal(word.description))
            }
        }
        offset += n
    }

    /// Validates a number at `offset` and returns its range.
    mutating func scanNumber() throws(JSONParseError) -> Range<Int> {
        let start = offset
        if offset < bytes.count && bytes[offset] == UInt8(ascii: "-") { offset += 1 }
        guard offset < bytes.count else { throw .unexpectedEnd(offset: offset, expected: .digit) }
        let first = bytes[offset]
        if first == UInt8(ascii: "0") {
            offset += 1
            if offset < bytes.count && isDigit(bytes[offset]) { throw .leadingZero(offset: start) }
        } else if isDigit(first) {
            offset += 1
            skipDigits()
        } else {
            throw .unexpectedByte(first, offset: offset, expected: .digit)
        }
        if offset < bytes.count && bytes[offset] == UInt8(ascii: ".") {
            offset += 1
            try requireDigits()
        }
        if offset < bytes.count && (bytes[offset] | 0x20) == UInt8(ascii: "e") {
            offset += 1
            if offset < bytes.count && (bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-")) {
                offset += 1
            }
            try requireDigits()
        }
        return start..<offset
    }

    private mutating func requireDigits() throws(JSONParseError) {
        guard offset < bytes.count else { throw .unexpectedEnd(offset: offset, expected: .digit) }
        guard isDigit(bytes[offset]) else { throw .unexpectedByte(bytes[offset], offset: offset, expected: .digit) }
        skipDigits()
    }

    private mutating func skipDigits() {
        var i = offset
        let count = bytes.count
        while i < count && isDigit(bytes[i]) { i += 1 }
        offset = i
    }
}

@inline(__always)
func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }
