import Ethereum
import Rollup

/// Every reason the sequencer refuses a submitted transaction, in one type
/// so the RPC edge maps them to JSON-RPC errors in one place.
public enum SubmissionRejection: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(TransactionDecodingError)
    case invalid(StateTransitionError)
    case mempool(MempoolRejection)
    case paused
    case unavailable(reason: String)

    public var description: String {
        switch self {
        case let .malformed(e): e.message
        case let .invalid(r): r.message
        case let .mempool(m): m.description
        case .paused: "the sequencer is paused and accepts no transactions"
        case let .unavailable(reason): "the sequencer cannot accept transactions: \(reason)"
        }
    }
}
