import JSON

/// A JSON-RPC 2.0 error object: what a client sees when a call fails.
///
/// Codes: -32700 parse error, -32600 invalid request, -32601 method not found,
/// -32602 invalid params, -32603 internal error, -32000…-32099 server errors
/// (Ethereum-style messages such as "nonce too low", with optional `data`).
public struct JSONRPCError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The error code.
    public var code: Int
    /// A short sentence for humans; clients match well-known Ethereum messages verbatim.
    public var message: String
    /// Extra detail for programs (e.g. revert data), omitted when nil.
    public var data: JSONValue?

    /// An error with any code; prefer the named constructors for the standard ones.
    public init(code: Int, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    public var description: String { "JSON-RPC error \(code): \(message)" }

    /// -32700: the body is not valid JSON.
    public static func parseError(_ detail: String) -> JSONRPCError {
        JSONRPCError(code: -32700, message: "parse error: " + detail)
    }

    /// -32600: valid JSON that is not a valid request or batch.
    public static func invalidRequest(_ detail: String) -> JSONRPCError {
        JSONRPCError(code: -32600, message: "invalid request: " + detail)
    }

    /// -32601: no handler is registered under `method`.
    public static func methodNotFound(_ method: String) -> JSONRPCError {
        JSONRPCError(code: -32601, message: "the method \(method) does not exist/is not available")
    }

    /// -32602: the parameters do not fit the method.
    public static func invalidParams(_ message: String) -> JSONRPCError {
        JSONRPCError(code: -32602, message: message)
    }

    /// -32603 with a fixed message, for failures whose details must not reach clients.
    public static let internalError = JSONRPCError(code: -32603, message: "internal error")

    /// -32003 (geth's code): a batch entry left unanswered because the batch's answers already reached `limit` bytes.
    public static func responseTooLarge(limit: Int) -> JSONRPCError {
        JSONRPCError(code: -32003, message: "response too large: the batch's answers exceed \(limit) bytes; send fewer or smaller requests")
    }

    /// A server error in -32000…-32099 (default -32000), e.g. `.server("nonce too low")`.
    public static func server(_ message: String, code: Int = -32000, data: JSONValue? = nil) -> JSONRPCError {
        precondition((-32099)...(-32000) ~= code, "server error codes are -32099...-32000")
        return JSONRPCError(code: code, message: message, data: data)
    }

    /// The one mapping from Swift errors to JSON-RPC errors: a
    /// `JSONRPCErrorConvertible` error supplies its own; any other error
    /// becomes -32603 "internal error" so internals never leak.
    public init(_ error: any Error) {
        if let convertible = error as? any JSONRPCErrorConvertible {
            self = convertible.jsonRPCError
        } else {
            self = .internalError
        }
    }
}

/// Adopted by domain error enums to say how they look to JSON-RPC clients,
/// so handlers can simply `throw` them.
public protocol JSONRPCErrorConvertible: Error {
    /// The error object sent to the client.
    var jsonRPCError: JSONRPCError { get }
}

extension JSONRPCError: JSONRPCErrorConvertible {
    public var jsonRPCError: JSONRPCError { self }
}

/// Failures of the dispatch machinery itself, reported to the server's
/// `onInternalError` hook (clients only see -32603).
public enum JSONRPCDispatchError: Error, Sendable, Equatable {
    /// A deferred handler released its responder without answering.
    case responderDropped(method: String)
}
