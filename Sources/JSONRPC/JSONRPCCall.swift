import JSON

/// Per-request facts from the transport that handlers may need, such as the
/// HTTP Authorization header for admin methods. Passed through untouched.
public struct JSONRPCRequestContext: Sendable {
    /// The Authorization header value (e.g. `Bearer …`), if the transport has one.
    public var authorization: String?
    /// Anything else the transport wants handlers to see (peer address, connection id, …).
    public var metadata: (any Sendable)?

    /// A context carrying the given transport facts.
    public init(authorization: String? = nil, metadata: (any Sendable)? = nil) {
        self.authorization = authorization
        self.metadata = metadata
    }

    /// No transport facts.
    public static let none = JSONRPCRequestContext()
}

/// One validated call, as a handler sees it.
public struct JSONRPCCall: Sendable {
    /// The method name as registered.
    public let method: String
    /// The `params` member (positional or named), possibly absent.
    public let params: JSONRPCParams
    /// The request id, or nil for a notification (whose answer is discarded).
    public let id: JSONRPCID?
    /// Transport facts for this request.
    public let context: JSONRPCRequestContext

    /// A call as the server builds it; also for calling handlers directly in tests.
    public init(method: String, params: JSONRPCParams = JSONRPCParams(nil), id: JSONRPCID?,
                context: JSONRPCRequestContext = .none) {
        self.method = method
        self.params = params
        self.id = id
        self.context = context
    }

    /// Whether the client expects no response.
    public var isNotification: Bool { id == nil }
}
