import Ethereum
import Hashing
import Primitives
import RLP
import Rollup

/// A deposit as its owner signs it: lock `amount` of `from`'s L1 ETH and
/// credit `to` on L2. `nonce` is `from`'s L1 nonce, so a signature is used once.
public struct DepositRequest: Sendable, Equatable {
    public var from: Address
    public var to: Address
    public var amount: UInt256
    public var nonce: UInt64
    /// 65-byte r ‖ s ‖ v over `L1Messages.depositDigest(…)` as an EIP-191 personal message.
    public var signature: [UInt8]

    public init(from: Address, to: Address, amount: UInt256, nonce: UInt64, signature: [UInt8]) {
        self.from = from
        self.to = to
        self.amount = amount
        self.nonce = nonce
        self.signature = signature
    }
}

/// Every state change of the simulated L1. Accepted ones are the records of
/// its append-only log, and replaying them in order rebuilds the L1 exactly.
public enum L1Transaction: Sendable, Equatable {
    /// Mine `count` blocks at wall-clock time `timestamp` (the clock lives outside the core).
    case mine(count: UInt64, timestamp: UInt64)
    /// SequencerInbox.postBatch: an encoded batch and the sequencer's signature over its hash.
    case postBatch(batch: [UInt8], signature: [UInt8])
    /// ForcedInclusionQueue.enqueueTransaction: a raw signed L2 transaction, stored as is.
    case enqueueTransaction(raw: [UInt8])
    /// ForcedInclusionQueue.deposit.
    case deposit(DepositRequest)
    /// ForcedInclusionQueue.forceInclude: the L1 appends the overdue items itself.
    case forceInclude
    /// Bridge.claimWithdrawal with the Merkle path to the block's withdrawals root.
    case claimWithdrawal(Withdrawal, proof: [Hash32])

    /// `tag ‖ RLP(fields)`: the log record.
    public var encoded: [UInt8] {
        var e = RLPEncoder(reservingCapacity: 64)
        switch self {
        case let .mine(count, timestamp):
            e.bytes.append(1)
            e.appendList { e in e.append(count); e.append(timestamp) }
        case let .postBatch(batch, signature):
            e.bytes.append(2)
            e.appendList { e in e.append(bytes: batch); e.append(bytes: signature) }
        case let .enqueueTransaction(raw):
            e.bytes.append(3)
            e.appendList { e in e.append(bytes: raw) }
        case let .deposit(d):
            e.bytes.append(4)
            e.appendList { e in
                e.append(bytes: d.from.bytes); e.append(bytes: d.to.bytes); e.append(d.amount); e.append(d.nonce)
                e.append(bytes: d.signature)
            }
        case .forceInclude:
            e.bytes.append(5)
            e.appendList { _ in }
        case let .claimWithdrawal(w, proof):
            e.bytes.append(6)
            e.appendList { e in
                e.append(w.l2BlockNumber); e.append(UInt64(w.index)); e.append(bytes: w.sender.bytes)
                e.append(bytes: w.recipient.bytes); e.append(w.amount); e.append(bytes: w.transactionHash.bytes)
                e.appendList { e in for p in proof { e.append(bytes: p.bytes) } }
            }
        }
        return e.bytes
    }

    /// Parses a log record; nil when it is not one.
    public init?(encoded bytes: [UInt8]) {
        guard bytes.count >= 2, let item = try? RLP.decode(Array(bytes[1...])), let f = item.list else { return nil }
        let b = f.map(\.bytes)
        func u64(_ i: Int) -> UInt64? { i < b.count ? b[i].flatMap(RLPFields.uint64) : nil }
        func address(_ i: Int) -> Address? { i < b.count ? b[i].flatMap { Address($0) } : nil }
        switch bytes[0] {
        case 1:
            guard f.count == 2, let c = u64(0), let t = u64(1) else { return nil }
            self = .mine(count: c, timestamp: t)
        case 2:
            guard f.count == 2, let batch = b[0], let sig = b[1] else { return nil }
            self = .postBatch(batch: batch, signature: sig)
        case 3:
            guard f.count == 1, let raw = b[0] else { return nil }
            self = .enqueueTransaction(raw: raw)
        case 4:
            guard f.count == 5, let from = address(0), let to = address(1), let amount = b[2].flatMap(RLPFields.uint256),
                  let nonce = u64(3), let sig = b[4] else { return nil }
            self = .deposit(DepositRequest(from: from, to: to, amount: amount, nonce: nonce, signature: sig))
        case 5:
            guard f.isEmpty else { return nil }
            self = .forceInclude
        case 6:
            guard f.count == 7, let n = u64(0), let i = u64(1), i <= UInt64(UInt32.max), let sender = address(2),
                  let recipient = address(3), let amount = b[4].flatMap(RLPFields.uint256), let tx = b[5].flatMap({ Hash32($0) }),
                  let proofItems = f[6].list else { return nil }
            var proof: [Hash32] = []
            for p in proofItems {
                guard let h = p.bytes.flatMap({ Hash32($0) }) else { return nil }
                proof.append(h)
            }
            self = .claimWithdrawal(Withdrawal(l2BlockNumber: n, index: UInt32(i), sender: sender, recipient: recipient,
                                               amount: amount, transactionHash: tx), proof: proof)
        default:
            return nil
        }
    }
}

/// The digests L1 callers sign. Both are signed as EIP-191 personal
/// messages over the 32 raw bytes of the digest, so any wallet library can
/// produce and check them (eth-account:
/// `Account.sign_message(encode_defunct(primitive=digest), key)`;
/// ours: `PersonalMessage.sign(digest.bytes, with: key)`).
public enum L1Messages {
    /// What the sequencer signs to post a batch: the batch hash itself
    /// (keccak256 of its encoding). Batches chain by parent hash, so a
    /// signature cannot be replayed for another position.
    public static func batchDigest(_ batchHash: Hash32) -> Hash32 { batchHash }

    /// What `from` signs to deposit: keccak256("rollup-l1:deposit" ‖ from(20)
    /// ‖ to(20) ‖ amount(32, big-endian) ‖ nonce(32, big-endian)).
    public static func depositDigest(from: Address, to: Address, amount: UInt256, nonce: UInt64) -> Hash32 {
        var h = Keccak256()
        h.update(bytes: Array("rollup-l1:deposit".utf8))
        h.update(bytes: from.bytes)
        h.update(bytes: to.bytes)
        h.update(bytes: amount.bigEndianBytes)
        h.update(bytes: UInt256(nonce).bigEndianBytes)
        return h.finalize()
    }
}
