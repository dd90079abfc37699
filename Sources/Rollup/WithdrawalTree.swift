import Hashing
import Primitives

/// The binary Merkle tree over a block's withdrawal leaves. Its root goes in
/// the L2 block header and the batch; a claim on L1 carries the sibling path
/// from its leaf to that root. An odd node at any level is paired with the
/// zero hash; the tree of no withdrawals has the zero hash as root.
public enum WithdrawalTree {
    /// The root over `leaves`, in order.
    public static func root(_ leaves: [Hash32]) -> Hash32 {
        guard !leaves.isEmpty else { return .zero }
        var level = leaves
        while level.count > 1 { level = parentLevel(level) }
        return level[0]
    }

    /// The sibling hashes from leaf `index` up to the root.
    public static func proof(_ leaves: [Hash32], index: Int) -> [Hash32] {
        precondition(leaves.indices.contains(index), "withdrawal index out of range")
        var siblings: [Hash32] = []
        var level = leaves
        var i = index
        while level.count > 1 {
            let sibling = i ^ 1
            siblings.append(sibling < level.count ? level[sibling] : .zero)
            level = parentLevel(level)
            i >>= 1
        }
        return siblings
    }

    /// Whether `leaf` sits at `index` under `root` according to `proof`.
    public static func verify(leaf: Hash32, index: Int, proof: [Hash32], root: Hash32) -> Bool {
        guard index >= 0, proof.count < 64, index >> proof.count == 0 else { return false }
        var node = leaf
        var i = index
        for sibling in proof {
            node = i & 1 == 0 ? hashPair(node, sibling) : hashPair(sibling, node)
            i >>= 1
        }
        return node == root
    }

    private static func parentLevel(_ level: [Hash32]) -> [Hash32] {
        stride(from: 0, to: level.count, by: 2).map { i in
            hashPair(level[i], i + 1 < level.count ? level[i + 1] : .zero)
        }
    }

    static func hashPair(_ a: Hash32, _ b: Hash32) -> Hash32 {
        Keccak256.hash(a.bytes + b.bytes)
    }
}
