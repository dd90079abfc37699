import Synchronization

/// The one seam between the transport and the application: the server calls
/// it for every complete request, and the application answers through the
/// writer. JSON-RPC, health checks and test handlers all implement it.
public protocol HTTPResponder: Sendable {
    /// Called on an event-loop thread for each complete request. Respond exactly
    /// once through `writer` (``HTTPResponseWriter/send(_:)`` or
    /// ``HTTPResponseWriter/startStream(status:headers:)``), now or later, from any thread.
    /// Work that blocks or takes long belongs on another thread: the loop serves
    /// many connections.
    func respond(to request: HTTPRequest, writer: HTTPResponseWriter)
}

/// A responder made from a closure, for tests and small endpoints.
public struct ClosureResponder: HTTPResponder {
    private let body: @Sendable (HTTPRequest, HTTPResponseWriter) -> Void

    public init(_ body: @escaping @Sendable (HTTPRequest, HTTPResponseWriter) -> Void) {
        self.body = body
    }

    public func respond(to request: HTTPRequest, writer: HTTPResponseWriter) {
        body(request, writer)
    }
}

/// The handle through which one request is answered.
///
/// Thread-safe: called on the request's loop it writes directly; called from
/// another thread it hops to the loop through the loop's task queue (eventfd).
/// Only the first answer counts; answers to closed connections are dropped.
public struct HTTPResponseWriter: Sendable {
    let channel: HTTPChannel
    let sequence: UInt64

    /// Sends a complete response (`Content-Length` framed).
    public func send(_ response: HTTPResponse) {
        let channel = channel
        let sequence = sequence
        if channel.loop.inEventLoop {
            channel.respond0(sequence: sequence, response: response)
        } else {
            channel.loop.execute { channel.respond0(sequence: sequence, response: response) }
        }
    }

    /// Starts a streamed response (chunked, or close-delimited for HTTP/1.0
    /// clients), e.g. server-sent events. Nil when the client is already gone.
    public func startStream(status: HTTPStatus = .ok, headers: HTTPHeaders = [:]) -> HTTPStream? {
        let channel = channel
        guard !channel.closedFlag.load(ordering: .acquiring) else { return nil }
        let stream = HTTPStream(channel: channel, sequence: sequence,
                                maxBufferedBytes: channel.context.shared.configuration.maxOutputBytes)
        if channel.loop.inEventLoop {
            guard channel.startStream0(stream, status: status, headers: headers) else { return nil }
        } else {
            channel.loop.execute {
                if !channel.startStream0(stream, status: status, headers: headers) { stream.finished() }
            }
        }
        return stream
    }

    /// Whether the client has disconnected (or the connection was closed).
    public var isClosed: Bool {
        channel.closedFlag.load(ordering: .relaxed)
    }

    /// The peer's address.
    public var remoteAddress: SocketAddress? {
        channel.remoteAddress
    }
}
