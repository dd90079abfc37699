import Ethereum
import Hashing
import Primitives
import Secp256k1

/// The sequencer's signed promise that a transaction holds a fixed place in
/// the L2 chain. The signature is an EIP-191 personal-message signature over
/// the 32-byte digest `keccak256(chainId ‖ txHash ‖ blockNumber ‖ index ‖ timestamp)`
/// (each field a 32-byte big-endian word), so any wallet library verifies it
/// with `recover_message(encode_defunct(primitive=digest))`. A promise the
/// sequencer later breaks is evidence against it.
public struct PreConfirmation: Sendable, Hashable {
    public var chainID: UInt64
    public var transactionHash: Hash32
    public var position: ChainPosition
    /// The L2 block's timestamp, seconds since the epoch.
    public var timestamp: UInt64
    public var sequencer: Address
    /// 65 bytes: r ‖ s ‖ v with v = 27 or 28, as `personal_sign` produces.
    public var signature: [UInt8]

    /// A promise as received from the sequencer (e.g. parsed from `seq_sendRawTransaction`), to check with `isValid`.
    public init(chainID: UInt64, transactionHash: Hash32, position: ChainPosition, timestamp: UInt64,
                sequencer: Address, signature: [UInt8]) {
        self.chainID = chainID
        self.transactionHash = transactionHash
        self.position = position
        self.timestamp = timestamp
        self.sequencer = sequencer
        self.signature = signature
    }

    /// The 32-byte digest the sequencer signs.
    public static func digest(chainID: UInt64, transactionHash: Hash32, position: ChainPosition, timestamp: UInt64) -> Hash32 {
        var bytes = [UInt8](repeating: 0, count: 160)
        func put(_ v: UInt64, at word: Int) {
            for i in 0..<8 { bytes[word * 32 + 31 - i] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(i))) }
        }
        put(chainID, at: 0)
        bytes.replaceSubrange(32..<64, with: transactionHash.bytes)
        put(position.blockNumber, at: 2)
        put(UInt64(position.index), at: 3)
        put(timestamp, at: 4)
        return Keccak256.hash(bytes)
    }

    /// Signs the promise for `transactionHash` at `position` with the sequencer's key.
    public static func sign(chainID: UInt64, transactionHash: Hash32, position: ChainPosition, timestamp: UInt64,
                            key: Secp256k1.PrivateKey, sequencer: Address) -> PreConfirmation {
        let d = digest(chainID: chainID, transactionHash: transactionHash, position: position, timestamp: timestamp)
        let sig = key.sign(digest: PersonalMessage.hash(d.bytes).bytes)
        return PreConfirmation(chainID: chainID, transactionHash: transactionHash, position: position, timestamp: timestamp,
                               sequencer: sequencer, signature: sig.r + sig.s + [27 + sig.recoveryID])
    }

    /// The address that signed this promise, or nil when the signature is malformed.
    public func recoverSigner() -> Address? {
        guard signature.count == 65, signature[64] == 27 || signature[64] == 28 else { return nil }
        let d = Self.digest(chainID: chainID, transactionHash: transactionHash, position: position, timestamp: timestamp)
        guard let sig = try? Secp256k1.RecoverableSignature(r: signature[0..<32], s: signature[32..<64], recoveryID: signature[64] - 27),
              let key = try? Secp256k1.recover(digest: PersonalMessage.hash(d.bytes).bytes, signature: sig)
        else { return nil }
        return Address(publicKey: key)
    }

    /// Whether the signature is the sequencer's own.
    public var isValid: Bool { recoverSigner() == sequencer }
}

/// A place in the L2 chain: block number and index within the block.
public struct ChainPosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var blockNumber: UInt64
    public var index: Int

    public init(blockNumber: UInt64, index: Int) {
        self.blockNumber = blockNumber
        self.index = index
    }

    public static func < (a: ChainPosition, b: ChainPosition) -> Bool {
        (a.blockNumber, a.index) < (b.blockNumber, b.index)
    }

    public var description: String { "block \(blockNumber) index \(index)" }
}
