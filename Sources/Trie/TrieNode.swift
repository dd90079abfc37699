import Hashing
import Primitives
import RLP

/// One node of a Merkle Patricia trie. Nodes are immutable once built, so
/// tries share structure and a snapshot is a pointer copy; only the cached
/// reference (the node's RLP, or its hash when that is 32 bytes or more) is
/// filled in later.
///
/// Thread rule: `reference` may be computed only by the trie's owner thread;
/// other threads may read keys and values (which never touch the cache).
final class TrieNode: @unchecked Sendable {
    enum Kind {
        case leaf(path: [UInt8], value: [UInt8])
        case `extension`(path: [UInt8], child: TrieNode)
        case branch(children: [TrieNode?], value: [UInt8]?)
    }

    let kind: Kind
    private var cachedReference: [UInt8]?

    init(_ kind: Kind) { self.kind = kind }

    static func leaf(_ path: ArraySlice<UInt8>, _ value: [UInt8]) -> TrieNode { TrieNode(.leaf(path: Array(path), value: value)) }

    static func `extension`(_ path: ArraySlice<UInt8>, _ child: TrieNode) -> TrieNode {
        TrieNode(.extension(path: Array(path), child: child))
    }

    static func branch(_ children: [TrieNode?], _ value: [UInt8]?) -> TrieNode { TrieNode(.branch(children: children, value: value)) }

    /// The node's full RLP encoding.
    func encoding() -> [UInt8] {
        var e = RLPEncoder(reservingCapacity: 64)
        switch kind {
        case let .leaf(path, value):
            e.appendList { e in
                e.append(bytes: HexPrefix.encode(path, isLeaf: true))
                e.append(bytes: value)
            }
        case let .extension(path, child):
            e.appendList { e in
                e.append(bytes: HexPrefix.encode(path, isLeaf: false))
                e.append(encoded: child.reference())
            }
        case let .branch(children, value):
            e.appendList { e in
                for child in children {
                    if let child { e.append(encoded: child.reference()) } else { e.append(encoded: [0x80]) }
                }
                e.append(bytes: value ?? [])
            }
        }
        return e.bytes
    }

    /// How a parent refers to this node: the encoding itself when shorter
    /// than 32 bytes, otherwise the RLP string of its Keccak-256 hash.
    func reference() -> [UInt8] {
        if let cachedReference { return cachedReference }
        let enc = encoding()
        let ref: [UInt8] = enc.count < 32 ? enc : [0xa0] + Keccak256.hash(enc).bytes
        cachedReference = ref
        return ref
    }
}

/// The hex-prefix encoding of a nibble path (Ethereum yellow paper, appendix C).
enum HexPrefix {
    static func encode(_ nibbles: [UInt8], isLeaf: Bool) -> [UInt8] {
        let flag: UInt8 = isLeaf ? 2 : 0
        var out: [UInt8] = []
        out.reserveCapacity(nibbles.count / 2 + 1)
        var i = 0
        if nibbles.count % 2 == 1 {
            out.append(((flag | 1) << 4) | nibbles[0])
            i = 1
        } else {
            out.append(flag << 4)
        }
        while i < nibbles.count {
            out.append((nibbles[i] << 4) | nibbles[i + 1])
            i += 2
        }
        return out
    }

    static func nibbles(_ key: some Collection<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(key.count * 2)
        for b in key {
            out.append(b >> 4)
            out.append(b & 0x0f)
        }
        return out
    }
}
