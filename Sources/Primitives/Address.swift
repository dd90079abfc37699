/// Exactly 20 bytes: an Ethereum account address.
///
/// Stored inline (two `UInt64` and a `UInt32` whose in-memory bytes are the
/// address's bytes in order). Text is lowercase here; EIP-55 checksummed
/// forms belong to the Ethereum module, which has Keccak.
public struct Address: Sendable {
    @usableFromInline
    var storage: (UInt64, UInt64, UInt32)

    /// Creates an address from exactly 20 bytes; nil for any other length.
    @inlinable
    public init?(_ bytes: some Collection<UInt8>) {
        let fast: Address?? = bytes.withContiguousStorageIfAvailable {
            $0.count == 20 ? Address(uncheckedBytes: UnsafeRawBufferPointer($0)) : nil
        }
        if let fast {
            guard let a = fast else { return nil }
            self = a
            return
        }
        guard bytes.count == 20 else { return nil }
        self = Array(bytes).withUnsafeBytes { Address(uncheckedBytes: $0) }
    }

    /// Creates an address from the first 20 bytes of `buffer`, which must hold at least 20.
    @inlinable
    public init(uncheckedBytes buffer: UnsafeRawBufferPointer) {
        precondition(buffer.count >= 20)
        storage = (buffer.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                   buffer.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                   buffer.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
    }

    /// Parses 40 hex digits, with or without "0x", any case (checksums are not verified here).
    @inlinable
    public init?(hex: some StringProtocol) {
        guard let a = Hex.withUTF8(of: hex, { Address(hexUTF8: $0) }) else { return nil }
        self = a
    }

    /// Parses 40 hex digits held as UTF-8, with or without "0x", any case.
    public init?(hexUTF8 utf8: UnsafeRawBufferPointer) {
        var s = (UInt64(0), UInt64(0), UInt32(0))
        let ok = withUnsafeMutableBytes(of: &s) {
            Hex.decode(utf8: utf8, into: UnsafeMutableRawBufferPointer(rebasing: $0[..<20]))
        }
        guard ok else { return nil }
        storage = s
    }

    /// The zero address.
    public static let zero = Address()

    private init() {
        storage = (0, 0, 0)
    }

    /// The 20 bytes.
    public var bytes: [UInt8] {
        withUnsafeBytes { Array($0) }
    }

    /// Calls `body` with the 20 bytes.
    @inlinable
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: storage) { try body(UnsafeRawBufferPointer(rebasing: $0[..<20])) }
    }

    /// Lowercase hex with "0x".
    public var hex: String {
        withUnsafeBytes { Hex.encode(buffer: $0) }
    }
}

extension Address: Hashable {
    @inlinable
    public static func == (a: Address, b: Address) -> Bool {
        ((a.storage.0 ^ b.storage.0) | (a.storage.1 ^ b.storage.1) | UInt64(a.storage.2 ^ b.storage.2)) == 0
    }

    @inlinable
    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.0)
        hasher.combine(storage.1)
        hasher.combine(storage.2)
    }
}

extension Address: Comparable {
    /// Lexicographic order of the bytes.
    @inlinable
    public static func < (a: Address, b: Address) -> Bool {
        let a0 = UInt64(bigEndian: a.storage.0), b0 = UInt64(bigEndian: b.storage.0)
        if a0 != b0 { return a0 < b0 }
        let a1 = UInt64(bigEndian: a.storage.1), b1 = UInt64(bigEndian: b.storage.1)
        if a1 != b1 { return a1 < b1 }
        return UInt32(bigEndian: a.storage.2) < UInt32(bigEndian: b.storage.2)
    }
}

extension Address: CustomStringConvertible {
    /// Lowercase hex with "0x".
    public var description: String { hex }
}
