import Primitives

/// A pre-confirmation the sequencer could not keep: the L1 forced blocks in
/// while this node held blocks it had not posted, and replaying them on top
/// moved the transaction or made it invalid. Reported, never hidden.
public struct BrokenPreConfirmation: Sendable, Equatable {
    public enum Fate: Sendable, Equatable {
        /// Executed again, at a different place.
        case moved(to: ChainPosition)
        /// Waiting again in the queue (an earlier nonce of its sender is gone).
        case requeued
        /// No longer valid on the L1's chain (e.g. its nonce was used by a forced transaction).
        case dropped(reason: String)
    }

    public let transactionHash: Hash32
    public let promised: ChainPosition
    public let fate: Fate

    public init(transactionHash: Hash32, promised: ChainPosition, fate: Fate) {
        self.transactionHash = transactionHash
        self.promised = promised
        self.fate = fate
    }

    public var summary: String {
        switch fate {
        case let .moved(to): "promised \(promised), now at \(to)"
        case .requeued: "promised \(promised), waiting again for an earlier nonce"
        case let .dropped(reason): "promised \(promised), dropped: \(reason)"
        }
    }
}
