import Hashing
import Primitives

/// Ethereum's Merkle Patricia trie: the commitment behind the state root,
/// the transactions root and the receipts root. It is a value type with
/// structural sharing, so copying one (a snapshot) costs nothing and an
/// update rebuilds only the path to the changed key; the root hash rehashes
/// only nodes built since it was last asked for, so its cost per block grows
/// with the keys a block touches, not with the size of the trie.
public struct MerklePatriciaTrie: Sendable {
    private var root: TrieNode?

    /// Keccak-256 of RLP("") — the root of the empty trie.
    public static let emptyRoot = Keccak256.hash([0x80])

    public init() {}

    public var isEmpty: Bool { root == nil }

    /// The value stored under `key`, or nil.
    public func value(forKey key: some Collection<UInt8>) -> [UInt8]? {
        let path = HexPrefix.nibbles(key)
        var node = root
        var i = 0
        while let n = node {
            switch n.kind {
            case let .leaf(p, v):
                return path.count - i == p.count && path[i...].elementsEqual(p) ? v : nil
            case let .extension(p, child):
                guard path.count - i >= p.count, path[i..<(i + p.count)].elementsEqual(p) else { return nil }
                i += p.count
                node = child
            case let .branch(children, v):
                if i == path.count { return v }
                node = children[Int(path[i])]
                i += 1
            }
        }
        return nil
    }

    /// Stores `value` under `key`; an empty value removes the key, as in Ethereum.
    public mutating func set(_ value: [UInt8], forKey key: some Collection<UInt8>) {
        let path = HexPrefix.nibbles(key)
        if value.isEmpty {
            root = Self.remove(root, path[...])
        } else {
            root = Self.insert(root, path[...], value)
        }
    }

    /// Removes `key` if present.
    public mutating func removeValue(forKey key: some Collection<UInt8>) {
        root = Self.remove(root, HexPrefix.nibbles(key)[...])
    }

    /// The root hash. Call it from the trie's owner thread only: it fills node caches.
    public var rootHash: Hash32 {
        guard let root else { return Self.emptyRoot }
        return Keccak256.hash(root.encoding())
    }

    private static func commonPrefix(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Int {
        var k = 0
        var ia = a.startIndex, ib = b.startIndex
        while ia < a.endIndex && ib < b.endIndex && a[ia] == b[ib] { k += 1; ia += 1; ib += 1 }
        return k
    }

    private static func insert(_ node: TrieNode?, _ path: ArraySlice<UInt8>, _ value: [UInt8]) -> TrieNode {
        guard let node else { return .leaf(path, value) }
        switch node.kind {
        case let .leaf(lp, lv):
            let leafPath = lp[...]
            let k = commonPrefix(leafPath, path)
            if k == lp.count && k == path.count { return .leaf(path, value) }
            var children = [TrieNode?](repeating: nil, count: 16)
            var branchValue: [UInt8]?
            if k == lp.count { branchValue = lv } else {
                children[Int(lp[k])] = .leaf(leafPath.dropFirst(k + 1), lv)
            }
            if k == path.count { branchValue = value } else {
                children[Int(path[path.startIndex + k])] = .leaf(path.dropFirst(k + 1), value)
            }
            let branch = TrieNode.branch(children, branchValue)
            return k > 0 ? .extension(path.prefix(k), branch) : branch
        case let .extension(ep, child):
            let extPath = ep[...]
            let k = commonPrefix(extPath, path)
            if k == ep.count { return .extension(extPath, insert(child, path.dropFirst(k), value)) }
            var children = [TrieNode?](repeating: nil, count: 16)
            var branchValue: [UInt8]?
            children[Int(ep[k])] = k + 1 == ep.count ? child : .extension(extPath.dropFirst(k + 1), child)
            if k == path.count { branchValue = value } else {
                children[Int(path[path.startIndex + k])] = .leaf(path.dropFirst(k + 1), value)
            }
            let branch = TrieNode.branch(children, branchValue)
            return k > 0 ? .extension(path.prefix(k), branch) : branch
        case let .branch(children, bv):
            guard let first = path.first else { return .branch(children, value) }
            var updated = children
            updated[Int(first)] = insert(children[Int(first)], path.dropFirst(), value)
            return .branch(updated, bv)
        }
    }

    private static func remove(_ node: TrieNode?, _ path: ArraySlice<UInt8>) -> TrieNode? {
        guard let node else { return nil }
        switch node.kind {
        case let .leaf(lp, _):
            return lp.elementsEqual(path) ? nil : node
        case let .extension(ep, child):
            guard path.count >= ep.count, path.prefix(ep.count).elementsEqual(ep) else { return node }
            let newChild = remove(child, path.dropFirst(ep.count))
            if newChild === child { return node }
            return prepend(ep[...], to: newChild)
        case let .branch(children, bv):
            var updated = children
            var value = bv
            if let first = path.first {
                let old = children[Int(first)]
                let new = remove(old, path.dropFirst())
                if new === old { return node }
                updated[Int(first)] = new
            } else {
                if bv == nil { return node }
                value = nil
            }
            let occupied = updated.indices.filter { updated[$0] != nil }
            if value == nil && occupied.count == 1 {
                let i = occupied[0]
                return prepend([UInt8(i)][...], to: updated[i])
            }
            if occupied.isEmpty { return value.map { .leaf([][...], $0) } }
            return .branch(updated, value)
        }
    }

    /// Puts `prefix` in front of `node`'s path, merging with a leaf or extension below.
    private static func prepend(_ prefix: ArraySlice<UInt8>, to node: TrieNode?) -> TrieNode? {
        guard let node else { return nil }
        switch node.kind {
        case let .leaf(p, v): return .leaf((Array(prefix) + p)[...], v)
        case let .extension(p, c): return .extension((Array(prefix) + p)[...], c)
        case .branch: return .extension(prefix, node)
        }
    }
}

extension MerklePatriciaTrie {
    /// The root of a trie keyed by RLP(index), as Ethereum builds its
    /// transactions and receipts roots from ordered lists.
    public static func orderedListRoot(_ items: [[UInt8]]) -> Hash32 {
        var trie = MerklePatriciaTrie()
        for (i, item) in items.enumerated() {
            trie.set(item, forKey: RLPIndexKey(i).bytes)
        }
        return trie.rootHash
    }
}

/// RLP of a list index: 0 → 0x80, 1…127 → one byte, larger → length-prefixed big-endian.
struct RLPIndexKey {
    let bytes: [UInt8]
    init(_ i: Int) {
        if i == 0 { bytes = [0x80] } else if i < 0x80 { bytes = [UInt8(i)] } else {
            var be: [UInt8] = []
            var v = i
            while v > 0 { be.insert(UInt8(v & 0xff), at: 0); v >>= 8 }
            bytes = [0x80 + UInt8(be.count)] + be
        }
    }
}
