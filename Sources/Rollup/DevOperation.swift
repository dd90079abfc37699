import Ethereum
import Primitives
import RLP

/// A state change a local dev node makes on request of a wallet test suite
/// (`anvil_setBalance`, `anvil_setNonce`, an impersonated sender). It is an
/// item of the L2 block like any transaction, so the L1's re-execution and
/// `sequencer derive` replay it and still agree with the node; chains whose
/// configuration does not allow dev operations refuse a batch carrying one.
public enum DevOperation: Sendable, Hashable {
    case setBalance(Address, UInt256)
    case setNonce(Address, UInt64)
    /// `transaction` executed as if `sender` had signed it; the signature is not checked.
    case impersonated(SignedTransaction, sender: Address)

    private enum Tag: UInt8 { case setBalance = 1, setNonce, impersonated }

    /// Tag byte ‖ RLP body: the form the batch and the write-ahead log carry.
    public var encoded: [UInt8] {
        var e = RLPEncoder(reservingCapacity: 64)
        switch self {
        case let .setBalance(address, amount):
            e.bytes.append(Tag.setBalance.rawValue)
            e.appendList { e in e.append(bytes: address.bytes); e.append(amount) }
        case let .setNonce(address, nonce):
            e.bytes.append(Tag.setNonce.rawValue)
            e.appendList { e in e.append(bytes: address.bytes); e.append(nonce) }
        case let .impersonated(tx, sender):
            e.bytes.append(Tag.impersonated.rawValue)
            e.appendList { e in e.append(bytes: tx.raw); e.append(bytes: sender.bytes) }
        }
        return e.bytes
    }

    /// Decodes `encoded`, or nil for bytes that are not a dev operation.
    public init?(encoded bytes: [UInt8]) {
        guard let first = bytes.first, let tag = Tag(rawValue: first), let item = try? RLP.decode(Array(bytes.dropFirst())),
              let list = item.list, list.count == 2, let a = list[0].bytes, let b = list[1].bytes else { return nil }
        switch tag {
        case .setBalance:
            guard let address = Address(a), b.count <= 32, b.first != 0, let amount = UInt256(bigEndianBytes: b) else { return nil }
            self = .setBalance(address, amount)
        case .setNonce:
            guard let address = Address(a), b.count <= 8, b.first != 0 else { return nil }
            self = .setNonce(address, b.reduce(0) { $0 << 8 | UInt64($1) })
        case .impersonated:
            guard let sender = Address(b), let tx = try? SignedTransaction.decode(a) else { return nil }
            self = .impersonated(tx, sender: sender)
        }
    }

    /// The leaf standing for this operation in the block's transactions root.
    public var leaf: [UInt8] { [0xDE] + encoded }

    /// A transaction "signed" for impersonation: r holds the sender, s is 1.
    /// Not a valid signature; its hash is unique per sender and fields.
    public static func impersonating(_ transaction: Transaction, sender: Address) -> SignedTransaction {
        SignedTransaction(transaction: transaction, r: UInt256(bigEndianBytes: sender.bytes)!, s: UInt256(1), yParity: 0)
    }
}
