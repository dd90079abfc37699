import Primitives
import RLP

/// One entry of the sequencer's write-ahead log. Replaying the records in
/// order rebuilds the chain, the open block with every pre-confirmed
/// position, and the queue of waiting transactions.
public enum LogRecord: Sendable, Equatable {
    /// A block was opened with this number, timestamp and L1 origin.
    case blockOpened(number: UInt64, timestamp: UInt64, l1Origin: UInt64)
    /// A transaction took the next index of the open block. The sender is
    /// stored so replay need not recover signatures again.
    case sequenced(raw: [UInt8], sender: Address)
    /// The open block was sealed with this hash (a check for replay).
    case blockSealed(number: UInt64, hash: Hash32)
    /// A transaction with a future nonce was accepted into the queue.
    case queued(raw: [UInt8], sender: Address)
    /// A queued transaction was removed (replaced, or dropped with a reason).
    case dropped(hash: Hash32)
    /// An item of the L1 forced-inclusion queue took the next place of the open block.
    case forced(item: [UInt8])
    /// Every block above this one was abandoned for the L1's blocks (reconciliation).
    case rewound(toBlock: UInt64)
    /// A dev operation (set balance, set nonce, impersonated transaction) took the next place of the open block.
    case dev(operation: [UInt8])
    /// Dev: the chain was saved as snapshot `id`.
    case snapshot(id: UInt64)
    /// Dev: the chain went back to snapshot `id` (0: genesis).
    case revert(id: UInt64)

    private enum Tag: UInt8 { case blockOpened = 1, sequenced, blockSealed, queued, dropped, forced, rewound, dev, snapshot, revert }

    /// Tag byte ‖ RLP body.
    public var encoded: [UInt8] {
        var e = RLPEncoder(reservingCapacity: 64)
        switch self {
        case let .blockOpened(n, t, l1):
            e.bytes.append(Tag.blockOpened.rawValue)
            e.appendList { e in e.append(n); e.append(t); e.append(l1) }
        case let .sequenced(raw, sender):
            e.bytes.append(Tag.sequenced.rawValue)
            e.appendList { e in e.append(bytes: raw); e.append(bytes: sender.bytes) }
        case let .blockSealed(n, h):
            e.bytes.append(Tag.blockSealed.rawValue)
            e.appendList { e in e.append(n); e.append(bytes: h.bytes) }
        case let .queued(raw, sender):
            e.bytes.append(Tag.queued.rawValue)
            e.appendList { e in e.append(bytes: raw); e.append(bytes: sender.bytes) }
        case let .dropped(h):
            e.bytes.append(Tag.dropped.rawValue)
            e.append(bytes: h.bytes)
        case let .forced(item):
            e.bytes.append(Tag.forced.rawValue)
            e.append(bytes: item)
        case let .rewound(n):
            e.bytes.append(Tag.rewound.rawValue)
            e.append(n)
        case let .dev(op):
            e.bytes.append(Tag.dev.rawValue)
            e.append(bytes: op)
        case let .snapshot(id):
            e.bytes.append(Tag.snapshot.rawValue)
            e.append(id)
        case let .revert(id):
            e.bytes.append(Tag.revert.rawValue)
            e.append(id)
        }
        return e.bytes
    }

    /// Decodes a record, or nil for bytes no version of the node wrote.
    public init?(encoded bytes: [UInt8]) {
        guard let first = bytes.first, let tag = Tag(rawValue: first),
              let item = try? RLP.decode(Array(bytes.dropFirst())) else { return nil }
        func uint(_ i: RLPItem) -> UInt64? {
            guard let b = i.bytes, b.count <= 8, b.first != 0 else { return nil }
            return b.reduce(0) { $0 << 8 | UInt64($1) }
        }
        switch tag {
        case .blockOpened:
            guard let l = item.list, l.count == 3, let n = uint(l[0]), let t = uint(l[1]), let o = uint(l[2]) else { return nil }
            self = .blockOpened(number: n, timestamp: t, l1Origin: o)
        case .sequenced:
            guard let l = item.list, l.count == 2, let raw = l[0].bytes, let s = l[1].bytes.flatMap({ Address($0) }) else { return nil }
            self = .sequenced(raw: raw, sender: s)
        case .blockSealed:
            guard let l = item.list, l.count == 2, let n = uint(l[0]), let h = l[1].bytes.flatMap({ Hash32($0) }) else { return nil }
            self = .blockSealed(number: n, hash: h)
        case .queued:
            guard let l = item.list, l.count == 2, let raw = l[0].bytes, let s = l[1].bytes.flatMap({ Address($0) }) else { return nil }
            self = .queued(raw: raw, sender: s)
        case .dropped:
            guard let h = item.bytes.flatMap({ Hash32($0) }) else { return nil }
            self = .dropped(hash: h)
        case .forced:
            guard let b = item.bytes else { return nil }
            self = .forced(item: b)
        case .rewound:
            guard let n = uint(item) else { return nil }
            self = .rewound(toBlock: n)
        case .dev:
            guard let b = item.bytes else { return nil }
            self = .dev(operation: b)
        case .snapshot:
            guard let n = uint(item) else { return nil }
            self = .snapshot(id: n)
        case .revert:
            guard let n = uint(item) else { return nil }
            self = .revert(id: n)
        }
    }
}
