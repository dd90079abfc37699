import Hashing
import Primitives
import Secp256k1

/// A transaction with its signature, its canonical encoding and its hash.
///
/// Every value is consistent by construction: `raw` is the canonical
/// encoding of `transaction` with (`yParity`, `r`, `s`), `hash` is
/// keccak256(`raw`), and `signingHash` is `transaction.signingHash()`.
/// Values built by `decode` also hold 0 < r < n and 0 < s ≤ n/2; the sender
/// is recovered on demand (`recoverSender`), since that is the expensive
/// part. Immutable and `Sendable`: decode on an I/O thread, hand to the
/// sequencer thread.
public struct SignedTransaction: Sendable {
    /// The signed fields.
    public let transaction: Transaction
    /// The signature's r, in 1 ..< n for decoded values.
    public let r: UInt256
    /// The signature's s, in 1 ... n/2 for decoded values.
    public let s: UInt256
    /// The parity of the signature's R point, 0 or 1 (legacy: derived from v).
    public let yParity: UInt8
    /// The canonical encoding: `type ‖ RLP` for typed transactions, the RLP
    /// list for legacy ones; what `eth_sendRawTransaction` carries.
    public let raw: [UInt8]
    /// keccak256(`raw`): the transaction's hash.
    public let hash: Hash32
    /// The digest that was signed, kept so recovery need not re-encode.
    public let signingHash: Hash32

    /// Attaches a signature to `transaction` and encodes it. The signature is
    /// not checked here (`recoverSender` does). Precondition: `yParity` is 0 or 1.
    public init(transaction: Transaction, r: UInt256, s: UInt256, yParity: UInt8) {
        self.init(transaction: transaction, r: r, s: s, yParity: yParity, signingHash: transaction.signingHash())
    }

    init(transaction: Transaction, r: UInt256, s: UInt256, yParity: UInt8, signingHash: Hash32) {
        precondition(yParity <= 1, "yParity must be 0 or 1")
        let v = Self.v(transaction: transaction, yParity: yParity)
        let raw = transaction.encoded(v: v, r: r, s: s)
        self.init(transaction: transaction, r: r, s: s, yParity: yParity, raw: raw,
                  hash: raw.withUnsafeBytes { Keccak256.hash(buffer: $0) }, signingHash: signingHash)
    }

    init(transaction: Transaction, r: UInt256, s: UInt256, yParity: UInt8, raw: [UInt8], hash: Hash32,
         signingHash: Hash32) {
        self.transaction = transaction
        self.r = r
        self.s = s
        self.yParity = yParity
        self.raw = raw
        self.hash = hash
        self.signingHash = signingHash
    }

    /// The signature's v as encoded: 27/28 for pre-EIP-155 legacy,
    /// chainId·2 + 35/36 for EIP-155 legacy, the y parity for typed transactions.
    public var v: UInt256 { Self.v(transaction: transaction, yParity: yParity) }

    private static func v(transaction: Transaction, yParity: UInt8) -> UInt256 {
        guard transaction.type == .legacy else { return UInt256(UInt64(yParity)) }
        guard let chainID = transaction.chainID else { return UInt256(27 + UInt64(yParity)) }
        let (high, low) = UInt256(chainID).multipliedFullWidth(byWord: 2)
        assert(high == 0)
        return low + UInt256(35 + UInt64(yParity))
    }

    /// The address that signed the transaction, recovered from the signature.
    /// Requires low s (EIP-2) for every type. Throws `highS`, or
    /// `signatureInvalid` when r or s is out of range or no key recovers.
    /// Costs one secp256k1 recovery (tens of microseconds).
    public func recoverSender() throws(TransactionDecodingError) -> Address {
        let signature: Secp256k1.RecoverableSignature
        let key: Secp256k1.PublicKey
        do throws(Secp256k1Error) {
            signature = try Secp256k1.RecoverableSignature(r: r.bigEndianBytes, s: s.bigEndianBytes,
                                                           recoveryID: yParity)
            key = try Secp256k1.recover(digest: signingHash.bytes, signature: signature, requireLowS: true)
        } catch .highS {
            throw .highS
        } catch {
            throw .signatureInvalid(error)
        }
        return Address(publicKey: key)
    }
}

extension SignedTransaction: Hashable {
    /// Equal when the encodings are equal, which fixes every other field.
    public static func == (a: SignedTransaction, b: SignedTransaction) -> Bool {
        a.hash == b.hash && a.raw == b.raw
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(hash)
    }
}
