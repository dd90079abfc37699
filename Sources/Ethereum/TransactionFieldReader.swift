import Primitives
import RLP

/// Reads a transaction's fields in order from its RLP list and turns RLP
/// failures into `TransactionDecodingError`s that name the field: a leading
/// zero becomes `fieldNotCanonical`, an over-long integer `integerTooLarge`
/// (or the field's own overflow error), a list in place of bytes
/// `unexpectedList`, and running out of items `wrongFieldCount`. Like geth,
/// a 64-bit field reports excess length before a leading zero and a 256-bit
/// field the reverse, so errors carry the names ethereum/tests expects.
///
/// Borrows the input like `RLPReader`: use it only inside the scope that
/// produced the buffer.
struct TransactionFieldReader {
    var reader: RLPReader
    /// The number of fields the list must hold.
    let expected: Int
    /// Added to RLP error offsets so they count from the input's first byte.
    let base: Int
    /// How many fields have been read.
    private(set) var index = 0

    init(reader: RLPReader, expected: Int, base: Int) {
        self.reader = reader
        self.expected = expected
        self.base = base
    }

    mutating func uint64(_ field: String, tooLarge: TransactionDecodingError) throws(TransactionDecodingError) -> UInt64 {
        let bytes = try self.bytes(field)
        if bytes.count > 8 { throw tooLarge }
        if bytes.first == 0 { throw .fieldNotCanonical(field: field) }
        var value: UInt64 = 0
        for b in bytes { value = value << 8 | UInt64(b) }
        return value
    }

    mutating func uint256(_ field: String) throws(TransactionDecodingError) -> UInt256 {
        let bytes = try self.bytes(field)
        if bytes.first == 0 { throw .fieldNotCanonical(field: field) }
        if bytes.count > 32 { throw .integerTooLarge(field: field) }
        return UInt256(bigEndianBuffer: bytes)!
    }

    /// `to`: 20 bytes, or empty for contract creation (nil).
    mutating func recipient() throws(TransactionDecodingError) -> Address? {
        let bytes = try bytes("to")
        if bytes.isEmpty { return nil }
        guard bytes.count == 20 else { throw .addressWrongLength(field: "to", length: bytes.count) }
        return Address(uncheckedBytes: bytes)
    }

    mutating func data() throws(TransactionDecodingError) -> [UInt8] {
        Array(try bytes("data"))
    }

    mutating func accessList() throws(TransactionDecodingError) -> [AccessListEntry] {
        try next()
        var list = try rlp("accessList") { () throws(RLPError) in try reader.readList() }
        var entries: [AccessListEntry] = []
        while !list.isAtEnd {
            let index = entries.count
            let malformed = TransactionDecodingError.malformedAccessListEntry(index: index)
            guard try kind(of: list) == .list else { throw malformed }
            var entry = try rlp("accessList") { () throws(RLPError) in try list.readList() }
            guard try kind(of: entry) == .bytes else { throw malformed }
            let address = try rlp("accessList") { () throws(RLPError) in try entry.readBytes() }
            guard address.count == 20 else {
                throw .addressWrongLength(field: "accessList[\(index)].address", length: address.count)
            }
            guard try kind(of: entry) == .list else { throw malformed }
            var keys = try rlp("accessList") { () throws(RLPError) in try entry.readList() }
            guard entry.isAtEnd else { throw malformed }
            var storageKeys: [Hash32] = []
            while !keys.isAtEnd {
                let key = try rlp("accessList") { () throws(RLPError) in try keys.readBytes() }
                guard key.count == 32 else { throw .storageKeyWrongLength(key.count) }
                storageKeys.append(Hash32(uncheckedBytes: key))
            }
            entries.append(AccessListEntry(address: Address(uncheckedBytes: address), storageKeys: storageKeys))
        }
        return entries
    }

    /// Checks that no field follows the last one read.
    mutating func finish() throws(TransactionDecodingError) {
        guard !reader.isAtEnd else { return }
        var extra = 0
        do throws(RLPError) {
            while !reader.isAtEnd {
                try reader.skipValidating()
                extra += 1
            }
        } catch {
            throw .rlp(error.shifted(by: base))
        }
        throw .wrongFieldCount(expected: expected, got: expected + extra)
    }

    private mutating func bytes(_ field: String) throws(TransactionDecodingError) -> UnsafeRawBufferPointer {
        try next()
        do throws(RLPError) {
            return try reader.readBytes()
        } catch {
            throw map(error, field: field)
        }
    }

    private mutating func next() throws(TransactionDecodingError) {
        guard !reader.isAtEnd else { throw .wrongFieldCount(expected: expected, got: index) }
        index += 1
    }

    /// The kind of the next item of `reader`, nil at its end.
    private func kind(of reader: RLPReader) throws(TransactionDecodingError) -> RLPElement.Kind? {
        guard !reader.isAtEnd else { return nil }
        return try rlp("accessList") { () throws(RLPError) in try reader.peek().kind }
    }

    /// Runs one RLP read, naming `field` in its error.
    private func rlp<T>(_ field: String, _ body: () throws(RLPError) -> T) throws(TransactionDecodingError) -> T {
        do {
            return try body()
        } catch {
            throw map(error, field: field)
        }
    }

    private func map(_ error: RLPError, field: String) -> TransactionDecodingError {
        switch error {
        case .expectedBytes: return .unexpectedList(field: field)
        default: return .rlp(error.shifted(by: base))
        }
    }
}
