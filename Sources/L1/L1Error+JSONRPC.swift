import JSON
import JSONRPC
import Rollup

/// The one mapping from L1 failures to JSON-RPC errors. Codes are stable
/// and `data.reason` names the case, so `HTTPL1Client` (and scripts) can
/// tell a parent mismatch from an overdue skip without parsing messages.
extension L1Error: JSONRPCErrorConvertible {
    public var jsonRPCError: JSONRPCError {
        .server(description, code: code, data: ["reason": .string(reason)])
    }

    /// -32010…-32025, one per kind of failure.
    public var code: Int {
        switch self {
        case .batchRejected: -32010
        case .invalidSignature: -32011
        case .wrongNonce: -32012
        case .insufficientBalance: -32013
        case .zeroAmount: -32014
        case .invalidQueueItemSize: -32015
        case .nothingOverdue: -32016
        case .unknownL2Block: -32017
        case .invalidWithdrawalProof: -32018
        case .withdrawalNotFinal: -32019
        case .alreadyClaimed: -32020
        case .invalidMineCount: -32021
        case .storage: -32022
        case .corruptLog: -32023
        }
    }

    /// A machine-readable name of the case (for a rejected batch, of the rejection).
    public var reason: String {
        switch self {
        case .batchRejected(let r): r.reason
        case .invalidSignature: "invalidSignature"
        case .wrongNonce: "wrongNonce"
        case .insufficientBalance: "insufficientBalance"
        case .zeroAmount: "zeroAmount"
        case .invalidQueueItemSize: "invalidQueueItemSize"
        case .nothingOverdue: "nothingOverdue"
        case .unknownL2Block: "unknownL2Block"
        case .invalidWithdrawalProof: "invalidWithdrawalProof"
        case .withdrawalNotFinal: "withdrawalNotFinal"
        case .alreadyClaimed: "alreadyClaimed"
        case .invalidMineCount: "invalidMineCount"
        case .storage: "storage"
        case .corruptLog: "corruptLog"
        }
    }
}

extension BatchRejection {
    /// The case name, e.g. "wrongParent", "skipsOverdueForcedItem".
    public var reason: String {
        switch self {
        case .wrongParent: "wrongParent"
        case .outOfOrder: "outOfOrder"
        case .wrongStateRoot: "wrongStateRoot"
        case .wrongWithdrawalsRoot: "wrongWithdrawalsRoot"
        case .invalidTransaction: "invalidTransaction"
        case .forcedItemsMismatch: "forcedItemsMismatch"
        case .skipsOverdueForcedItem: "skipsOverdueForcedItem"
        case .invalidBlockContext: "invalidBlockContext"
        case .malformed: "malformed"
        case .wrongSigner: "wrongSigner"
        }
    }
}

/// Why an `L1Client` call failed, the same for both implementations.
public enum L1ClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The L1 refused the call: its JSON-RPC code, message and `reason`
    /// (`L1Error.reason`, e.g. "wrongParent"; nil for generic errors).
    case refused(code: Int, message: String, reason: String?)
    /// The L1 could not be reached or the connection broke.
    case transport(String)
    /// The L1 answered something this client cannot read.
    case invalidResponse(String)

    /// The refusal of `error`, as the HTTP client would see it.
    public init(_ error: L1Error) {
        self = .refused(code: error.code, message: error.description, reason: error.reason)
    }

    public var description: String {
        switch self {
        case let .refused(code, message, _): "L1 refused (\(code)): \(message)"
        case .transport(let m): "L1 unreachable: \(m)"
        case .invalidResponse(let m): "invalid L1 response: \(m)"
        }
    }
}
