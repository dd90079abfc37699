/// An ordered list of header fields, stored as one byte buffer plus an index
/// of ranges, so a request's headers cost two allocations however many there
/// are, and a response's headers are written to the socket with one copy.
///
/// Names compare case-insensitively (ASCII); values are returned as sent,
/// without surrounding whitespace. Repeated names are kept in order.
public struct HTTPHeaders: Sendable, Sequence, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    struct Field: Sendable {
        var nameStart: Int32
        var nameEnd: Int32
        var valueStart: Int32
        var valueEnd: Int32
    }

    private(set) var storage: [UInt8]
    private(set) var fields: [Field]
    /// True when `storage` is exactly the fields as `name: value\r\n` lines, so it can be written as is.
    private(set) var isCanonical: Bool
    /// True when a field the server writes itself (`Content-Length`, `Transfer-Encoding`, `Connection`) was added.
    private(set) var hasFramingField: Bool

    public init() {
        storage = []
        fields = []
        isCanonical = true
        hasFramingField = false
    }

    /// Headers as parsed from a request head: `storage` also holds the request line.
    init(parsed storage: [UInt8], fields: [Field]) {
        self.storage = storage
        self.fields = fields
        isCanonical = false
        hasFramingField = false
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    public init(_ pairs: [(String, String)]) {
        self.init()
        for (name, value) in pairs { add(name: name, value: value) }
    }

    public var count: Int { fields.count }
    public var isEmpty: Bool { fields.isEmpty }

    /// Appends a field. CR, LF and NUL are dropped from name and value so a
    /// caller cannot inject extra header lines.
    public mutating func add(name: String, value: String) {
        let nameStart = storage.count
        for byte in name.utf8 where byte != 13 && byte != 10 && byte != 0 && byte != 58 { storage.append(byte) }
        let nameEnd = storage.count
        storage.append(58)
        storage.append(32)
        let valueStart = storage.count
        for byte in value.utf8 where byte != 13 && byte != 10 && byte != 0 { storage.append(byte) }
        let valueEnd = storage.count
        storage.append(13)
        storage.append(10)
        let field = Field(nameStart: Int32(nameStart), nameEnd: Int32(nameEnd), valueStart: Int32(valueStart), valueEnd: Int32(valueEnd))
        fields.append(field)
        if isFramingField(field) { hasFramingField = true }
    }

    /// Removes every field named `name`.
    public mutating func remove(name: String) {
        guard fields.contains(where: { nameEquals($0, name) }) else { return }
        let kept = self.filter { !Self.asciiEqual($0.name.utf8, name.utf8) }
        self = HTTPHeaders(kept.map { ($0.name, $0.value) })
    }

    /// Replaces every field named `name` with one field holding `value`.
    public mutating func replaceOrAdd(name: String, value: String) {
        remove(name: name)
        add(name: name, value: value)
    }

    /// The first value of `name`, if present.
    public subscript(name: String) -> String? {
        guard let field = fields.first(where: { nameEquals($0, name) }) else { return nil }
        return string(field.valueStart, field.valueEnd)
    }

    /// Every value of `name`, in order.
    public func values(for name: String) -> [String] {
        fields.filter { nameEquals($0, name) }.map { string($0.valueStart, $0.valueEnd) }
    }

    public func contains(_ name: String) -> Bool {
        fields.contains { nameEquals($0, name) }
    }

    public struct Iterator: IteratorProtocol {
        let headers: HTTPHeaders
        var index = 0

        public mutating func next() -> (name: String, value: String)? {
            guard index < headers.fields.count else { return nil }
            let field = headers.fields[index]
            index += 1
            return (headers.string(field.nameStart, field.nameEnd), headers.string(field.valueStart, field.valueEnd))
        }
    }

    public func makeIterator() -> Iterator { Iterator(headers: self) }

    public var description: String {
        map { "\($0.name): \($0.value)" }.joined(separator: "\n")
    }

    /// Appends the fields as `name: value\r\n` lines, leaving out the framing
    /// fields the server writes itself.
    func write(into out: inout [UInt8]) {
        if isCanonical && !hasFramingField {
            out.append(contentsOf: storage)
            return
        }
        storage.withUnsafeBufferPointer { bytes in
            for field in fields where !isFramingField(field) {
                out.append(contentsOf: bytes[Int(field.nameStart)..<Int(field.nameEnd)])
                out.append(58)
                out.append(32)
                out.append(contentsOf: bytes[Int(field.valueStart)..<Int(field.valueEnd)])
                out.append(13)
                out.append(10)
            }
        }
    }

    private func string(_ start: Int32, _ end: Int32) -> String {
        storage.withUnsafeBufferPointer { String(decoding: $0[Int(start)..<Int(end)], as: UTF8.self) }
    }

    private func nameEquals(_ field: Field, _ name: String) -> Bool {
        guard Int(field.nameEnd - field.nameStart) == name.utf8.count else { return false }
        return storage.withUnsafeBufferPointer { Self.asciiEqual($0[Int(field.nameStart)..<Int(field.nameEnd)], name.utf8) }
    }

    private func isFramingField(_ field: Field) -> Bool {
        let length = Int(field.nameEnd - field.nameStart)
        guard length == 10 || length == 14 || length == 17 else { return false }
        return storage.withUnsafeBufferPointer { bytes in
            let name = UnsafeBufferPointer(rebasing: bytes[Int(field.nameStart)..<Int(field.nameEnd)])
            return Self.lowercaseEquals(name, "connection") || Self.lowercaseEquals(name, "content-length")
                || Self.lowercaseEquals(name, "transfer-encoding")
        }
    }

    /// Whether `bytes`, ASCII-lowercased, equal the lowercase literal `literal`.
    static func lowercaseEquals(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        guard bytes.count == literal.utf8CodeUnitCount else { return false }
        let expected = literal.utf8Start
        for i in 0..<bytes.count where lowercased(bytes[i]) != expected[i] {
            return false
        }
        return true
    }

    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte &- 0x41 < 26 ? byte | 0x20 : byte
    }

    static func asciiEqual<A: Collection<UInt8>, B: Collection<UInt8>>(_ a: A, _ b: B) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).allSatisfy { lowercased($0) == lowercased($1) }
    }
}
