/// A complete request as handed to an ``HTTPResponder``: head, whole body, and
/// where it came from.
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    /// The request target as sent, e.g. `/blocks?from=1`.
    public var target: String
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    /// Fields sent after a chunked body; empty otherwise.
    public var trailers: HTTPHeaders
    /// The body with any chunked framing removed.
    public var body: [UInt8]
    /// The peer's address; nil for requests built in tests.
    public var remoteAddress: SocketAddress?
    /// Whether the connection stays open after this request's response: HTTP/1.1
    /// unless `Connection: close`, HTTP/1.0 only with `Connection: keep-alive`.
    public var keepAlive: Bool

    public init(method: HTTPMethod, target: String, version: HTTPVersion = .http1_1, headers: HTTPHeaders = [:],
                trailers: HTTPHeaders = [:], body: [UInt8] = [], remoteAddress: SocketAddress? = nil, keepAlive: Bool = true) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.trailers = trailers
        self.body = body
        self.remoteAddress = remoteAddress
        self.keepAlive = keepAlive
    }

    /// The target up to `?` (no allocation: a slice of ``target``).
    public var path: Substring {
        guard let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return target[...] }
        return target[..<mark]
    }

    /// The target after `?`, or nil when there is none.
    public var query: Substring? {
        guard let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return nil }
        return target[target.utf8.index(after: mark)...]
    }
}
