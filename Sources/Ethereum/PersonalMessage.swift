import Hashing
import Primitives
import Secp256k1

/// EIP-191 version 0x45 ("personal_sign") messages: the prefix makes a
/// signed message impossible to replay as a transaction.
public enum PersonalMessage {
    /// keccak256("\u{19}Ethereum Signed Message:\n" ‖ decimal length ‖ message).
    public static func hash(_ message: [UInt8]) -> Hash32 {
        var hasher = Keccak256()
        hasher.update(bytes: Array("\u{19}Ethereum Signed Message:\n\(message.count)".utf8))
        hasher.update(bytes: message)
        return hasher.finalize()
    }

    /// The 65-byte signature r ‖ s ‖ v (v = 27 + y parity) that
    /// `personal_sign` and `eth_sign` return.
    public static func sign(_ message: [UInt8], with key: Secp256k1.PrivateKey) -> [UInt8] {
        let signature = hash(message).withUnsafeBytes { key.sign(digest: $0) }
        return signature.r + signature.s + [27 + (signature.recoveryID & 1)]
    }

    /// The address whose key produced `signature` (r ‖ s ‖ v with v ∈ {0, 1, 27, 28})
    /// over `message`; nil when the signature is malformed, high-s or recovers no key.
    public static func recoverSigner(of message: [UInt8], signature: [UInt8]) -> Address? {
        guard signature.count == 65 else { return nil }
        let v = signature[64] >= 27 ? signature[64] &- 27 : signature[64]
        guard v <= 1,
              let parsed = try? Secp256k1.RecoverableSignature(r: signature[0..<32], s: signature[32..<64], recoveryID: v),
              let key = try? Secp256k1.recover(digest: hash(message).bytes, signature: parsed, requireLowS: true)
        else { return nil }
        return Address(publicKey: key)
    }
}
