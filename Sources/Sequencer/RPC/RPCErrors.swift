import Ethereum
import JSON
import JSONRPC
import Rollup

// The one place where the sequencer's typed errors become JSON-RPC errors.
// Transaction rejections use -32000 with the message Ethereum clients use,
// so wallet libraries recognise "nonce too low" and friends; `data` carries
// what a program needs to act (e.g. the expected nonce).

extension SubmissionRejection: JSONRPCErrorConvertible {
    public var jsonRPCError: JSONRPCError {
        switch self {
        case let .malformed(e):
            return .server(e.message, code: -32000)
        case let .invalid(r):
            switch r {
            case let .nonceTooLow(expected, got), let .nonceTooHigh(expected, got):
                return .server(r.message, code: -32000, data: .object([("expectedNonce", .string("0x" + String(expected, radix: 16))),
                                                                       ("nonce", .string("0x" + String(got, radix: 16)))]))
            default:
                return .server(r.message, code: -32000)
            }
        case let .mempool(m):
            return .server(m.description, code: -32000)
        case .paused:
            return .server(description, code: -32002)
        case .unavailable:
            return .server(description, code: -32603)
        }
    }
}

/// Errors of read methods that are not about parameters.
public enum ReadError: Error, Sendable, JSONRPCErrorConvertible {
    case stateUnavailable(block: UInt64)
    case unsupported(String)

    public var jsonRPCError: JSONRPCError {
        switch self {
        case let .stateUnavailable(n):
            .server("header not found or state unavailable for block \(n): only the latest \(ChainStore.retainedStates) block states are kept", code: -32000)
        case let .unsupported(what):
            .server(what, code: -32601)
        }
    }
}

extension DevOperationError: JSONRPCErrorConvertible {
    public var jsonRPCError: JSONRPCError {
        switch self {
        case .notAllowed: .server(description, code: -32004)
        case let .rejected(r): SubmissionRejection.invalid(r).jsonRPCError
        default: .server(description, code: -32000)
        }
    }
}
