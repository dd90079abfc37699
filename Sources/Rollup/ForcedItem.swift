import Ethereum
import Hashing
import Primitives
import RLP

/// ETH locked on L1 by `from` and minted on L2 to `to`: the bridge's way in.
/// `queueIndex` is its slot in the L1 forced-inclusion queue, which fixes
/// where it lands in the L2 chain and makes it count once.
public struct Deposit: Sendable, Hashable {
    public var queueIndex: UInt64
    /// The L1 account whose ETH is locked.
    public var from: Address
    /// The L2 account credited.
    public var to: Address
    public var amount: UInt256

    public init(queueIndex: UInt64, from: Address, to: Address, amount: UInt256) {
        self.queueIndex = queueIndex
        self.from = from
        self.to = to
        self.amount = amount
    }
}

/// A signed L2 transaction put on the L1 queue by anyone, stored byte for
/// byte as submitted: it may be malformed or invalid, in which case the L2
/// skips it deterministically when its turn comes.
public struct ForcedTransaction: Sendable, Hashable {
    public var queueIndex: UInt64
    public var raw: [UInt8]

    public init(queueIndex: UInt64, raw: [UInt8]) {
        self.queueIndex = queueIndex
        self.raw = raw
    }
}

/// One item of the L1 forced-inclusion queue (the delayed inbox). The L2
/// chain must consume items in queue order, each exactly once.
public enum ForcedItem: Sendable, Hashable {
    case deposit(Deposit)
    case transaction(ForcedTransaction)

    /// The item's slot in the queue.
    public var queueIndex: UInt64 {
        switch self {
        case .deposit(let d): d.queueIndex
        case .transaction(let t): t.queueIndex
        }
    }

    /// `kind ‖ RLP(fields)`, kind 1 for a deposit, 2 for a transaction: what
    /// the queue accumulator hashes and the L1 log stores.
    public var encoded: [UInt8] {
        var e = RLPEncoder(reservingCapacity: 96)
        switch self {
        case .deposit(let d):
            e.bytes.append(1)
            e.appendList { e in
                e.append(d.queueIndex)
                e.append(bytes: d.from.bytes)
                e.append(bytes: d.to.bytes)
                e.append(d.amount)
            }
        case .transaction(let t):
            e.bytes.append(2)
            e.appendList { e in
                e.append(t.queueIndex)
                e.append(bytes: t.raw)
            }
        }
        return e.bytes
    }

    /// keccak256(`encoded`).
    public var hash: Hash32 { Keccak256.hash(encoded) }

    /// Parses `encoded`; nil for anything else.
    public init?(encoded bytes: [UInt8]) {
        guard bytes.count >= 2, let item = try? RLP.decode(Array(bytes[1...])), let f = item.list,
              let index = f.first?.bytes.flatMap(RLPFields.uint64) else { return nil }
        switch bytes[0] {
        case 1:
            guard f.count == 4, let from = f[1].bytes.flatMap({ Address($0) }), let to = f[2].bytes.flatMap({ Address($0) }),
                  let amount = f[3].bytes.flatMap(RLPFields.uint256) else { return nil }
            self = .deposit(Deposit(queueIndex: index, from: from, to: to, amount: amount))
        case 2:
            guard f.count == 2, let raw = f[1].bytes else { return nil }
            self = .transaction(ForcedTransaction(queueIndex: index, raw: raw))
        default:
            return nil
        }
    }
}

/// Strict readers of RLP scalars: minimal big-endian, no leading zeros.
public enum RLPFields {
    /// A canonical unsigned integer below 2^64.
    public static func uint64(_ b: [UInt8]) -> UInt64? {
        guard b.count <= 8, b.first != 0 else { return nil }
        return b.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// A canonical unsigned integer below 2^256.
    public static func uint256(_ b: [UInt8]) -> UInt256? {
        guard b.count <= 32, b.first != 0 else { return nil }
        return UInt256(bigEndianBytes: b)
    }
}
