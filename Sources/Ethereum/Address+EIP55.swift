import Hashing
import Primitives
import Secp256k1

extension Address {
    /// The address of a public key: the last 20 bytes of keccak256(x ‖ y).
    public init(publicKey: Secp256k1.PublicKey) {
        let digest = Keccak256.hash(publicKey.uncompressed)
        self = digest.withUnsafeBytes { Address(uncheckedBytes: UnsafeRawBufferPointer(rebasing: $0[12...])) }
    }

    /// The EIP-55 mixed-case form ("0x" then 40 digits): a letter is upper
    /// case when the matching nibble of keccak256(lowercase hex) is ≥ 8, so
    /// wallets can catch mistyped addresses.
    public var checksummed: String {
        let lower = Array(hex.utf8.dropFirst(2))
        let digest = Keccak256.hash(lower)
        return digest.withUnsafeBytes { d in
            String(unsafeUninitializedCapacity: 42) { out in
                out[0] = UInt8(ascii: "0")
                out[1] = UInt8(ascii: "x")
                for (i, c) in lower.enumerated() {
                    let nibble = i & 1 == 0 ? d[i >> 1] >> 4 : d[i >> 1] & 0x0f
                    out[2 + i] = c >= UInt8(ascii: "a") && nibble >= 8 ? c - 0x20 : c
                }
                return 42
            }
        }
    }

    /// Parses an address and, when it mixes upper and lower case, checks its
    /// EIP-55 checksum; all-lowercase and all-uppercase digits carry no
    /// checksum and are accepted. The "0x" prefix is optional. Nil on bad
    /// length, a non-hex digit or a wrong checksum.
    public init?(checksummed text: some StringProtocol) {
        guard let address = Address(hex: text) else { return nil }
        let digits = text.utf8.count == 42 ? Substring(text).utf8.dropFirst(2) : Substring(text).utf8.dropFirst(0)
        let hasLower = digits.contains { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f") }
        let hasUpper = digits.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "F") }
        if hasLower && hasUpper {
            guard address.checksummed.utf8.dropFirst(2).elementsEqual(digits) else { return nil }
        }
        self = address
    }
}
