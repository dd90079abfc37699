/// One server-sent event (`text/event-stream`), encoded per the HTML standard:
/// optional `id`, `event` and `retry` lines, one `data:` line per line of data,
/// and a blank line.
public struct ServerSentEvent: Sendable, Equatable {
    public var id: String?
    public var event: String?
    public var data: String
    /// Reconnection delay the client should use, in milliseconds.
    public var retry: Int?

    public init(id: String? = nil, event: String? = nil, data: String, retry: Int? = nil) {
        self.id = id
        self.event = event
        self.data = data
        self.retry = retry
    }

    /// The fields of an event-stream response.
    public static let headers: HTTPHeaders = ["Content-Type": "text/event-stream", "Cache-Control": "no-cache"]

    /// A comment line that keeps idle proxies from timing the stream out.
    public static let keepAlive: [UInt8] = Array(":\n\n".utf8)

    /// The event as it goes on the wire.
    public var bytes: [UInt8] {
        var text = ""
        if let id { text += "id: \(Self.singleLine(id))\n" }
        if let event { text += "event: \(Self.singleLine(event))\n" }
        if let retry { text += "retry: \(retry)\n" }
        for line in data.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            text += "data: \(line)\n"
        }
        text += "\n"
        return Array(text.utf8)
    }

    private static func singleLine(_ value: String) -> String {
        String(value.filter { $0 != "\n" && $0 != "\r" })
    }
}

extension HTTPStream {
    /// Sends one event; false when the stream is closed or the client too slow.
    @discardableResult
    public func send(_ event: ServerSentEvent) -> Bool {
        write(event.bytes)
    }
}

extension HTTPResponseWriter {
    /// Starts a `text/event-stream` response.
    public func startEventStream(headers: HTTPHeaders = [:]) -> HTTPStream? {
        var all = ServerSentEvent.headers
        for (name, value) in headers { all.add(name: name, value: value) }
        return startStream(status: .ok, headers: all)
    }
}
