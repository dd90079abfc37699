/// Exactly 32 bytes: a Keccak-256 digest, a block or transaction hash, a
/// storage word.
///
/// Stored inline as four `UInt64` words whose in-memory bytes are the hash's
/// bytes in order, so `withUnsafeBytes` exposes the 32 bytes directly and
/// equality and hashing are four word operations.
public struct Hash32: Sendable {
    @usableFromInline
    var storage: (UInt64, UInt64, UInt64, UInt64)

    /// Creates a hash from four words read little-endian from the 32 bytes:
    /// byte `i` is byte `i % 8` (least significant first) of word `i / 8`.
    /// This is how Keccak's state lanes map to its digest.
    @inlinable
    public init(littleEndianWords w0: UInt64, _ w1: UInt64, _ w2: UInt64, _ w3: UInt64) {
        storage = (w0.littleEndian, w1.littleEndian, w2.littleEndian, w3.littleEndian)
    }

    /// Creates a hash from exactly 32 bytes; nil for any other length.
    @inlinable
    public init?(_ bytes: some Collection<UInt8>) {
        let fast: Hash32?? = bytes.withContiguousStorageIfAvailable {
            $0.count == 32 ? Hash32(uncheckedBytes: UnsafeRawBufferPointer($0)) : nil
        }
        if let fast {
            guard let h = fast else { return nil }
            self = h
            return
        }
        guard bytes.count == 32 else { return nil }
        self = Array(bytes).withUnsafeBytes { Hash32(uncheckedBytes: $0) }
    }

    /// Creates a hash from the first 32 bytes of `buffer`, which must hold at least 32.
    @inlinable
    public init(uncheckedBytes buffer: UnsafeRawBufferPointer) {
        precondition(buffer.count >= 32)
        storage = (buffer.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                   buffer.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                   buffer.loadUnaligned(fromByteOffset: 16, as: UInt64.self),
                   buffer.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
    }

    /// Parses 64 hex digits, with or without "0x", any case.
    @inlinable
    public init?(hex: some StringProtocol) {
        guard let h = Hex.withUTF8(of: hex, { Hash32(hexUTF8: $0) }) else { return nil }
        self = h
    }

    /// Parses 64 hex digits held as UTF-8, with or without "0x", any case.
    public init?(hexUTF8 utf8: UnsafeRawBufferPointer) {
        var s = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        guard withUnsafeMutableBytes(of: &s, { Hex.decode(utf8: utf8, into: $0) }) else { return nil }
        storage = s
    }

    /// The hash with every byte zero.
    public static let zero = Hash32(littleEndianWords: 0, 0, 0, 0)

    /// The 32 bytes.
    public var bytes: [UInt8] {
        withUnsafeBytes { Array($0) }
    }

    /// Calls `body` with the 32 bytes.
    @inlinable
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: storage, body)
    }

    /// The hash as a big-endian 256-bit integer (EVM word order).
    @inlinable
    public var uint256: UInt256 {
        UInt256(w0: UInt64(bigEndian: storage.3), w1: UInt64(bigEndian: storage.2),
                w2: UInt64(bigEndian: storage.1), w3: UInt64(bigEndian: storage.0))
    }

    /// The 32-byte big-endian form of `value`.
    @inlinable
    public init(_ value: UInt256) {
        storage = (value.w3.bigEndian, value.w2.bigEndian, value.w1.bigEndian, value.w0.bigEndian)
    }
}

extension Hash32: Hashable {
    @inlinable
    public static func == (a: Hash32, b: Hash32) -> Bool {
        ((a.storage.0 ^ b.storage.0) | (a.storage.1 ^ b.storage.1)
            | (a.storage.2 ^ b.storage.2) | (a.storage.3 ^ b.storage.3)) == 0
    }

    @inlinable
    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.0)
        hasher.combine(storage.1)
        hasher.combine(storage.2)
        hasher.combine(storage.3)
    }
}

extension Hash32: Comparable {
    /// Lexicographic order of the bytes, i.e. numeric order of the big-endian value.
    @inlinable
    public static func < (a: Hash32, b: Hash32) -> Bool {
        a.uint256 < b.uint256
    }
}

extension Hash32: CustomStringConvertible {
    /// Lowercase hex with "0x".
    public var description: String {
        withUnsafeBytes { Hex.encode(buffer: $0) }
    }
}
