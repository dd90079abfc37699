import Dispatch
import Glibc
import HTTP
import Synchronization
import XCTest

/// Routes the socket tests use:
/// - `/echo`: 200 with the request body; `X-Method`, `X-Path`, `X-Query`, `X-Trailers` describe the request.
/// - `/delay?ms=N&i=K`: answers from another thread after N ms with body `K`.
/// - `/only-get`: 405 for anything but GET.
/// - `/big?bytes=N`: a body of N bytes.
/// - `/sse?events=N`: N server-sent events, then the stream ends.
/// - anything else: 404.
struct TestResponder: HTTPResponder {
    /// Called for every request before it is answered (shutdown tests wait on it).
    let onRequest: (@Sendable (HTTPRequest) -> Void)?

    init(onRequest: (@Sendable (HTTPRequest) -> Void)? = nil) {
        self.onRequest = onRequest
    }

    func respond(to request: HTTPRequest, writer: HTTPResponseWriter) {
        onRequest?(request)
        let query = Self.query(request)
        switch request.path {
        case "/echo":
            var headers: HTTPHeaders = ["X-Method": request.method.rawValue, "X-Path": String(request.path)]
            if let q = request.query { headers.add(name: "X-Query", value: String(q)) }
            if !request.trailers.isEmpty {
                headers.add(name: "X-Trailers", value: request.trailers.map { "\($0.name)=\($0.value)" }.joined(separator: ","))
            }
            if let id = request.headers["x-id"] { headers.add(name: "X-Id", value: id) }
            writer.send(HTTPResponse(status: .ok, headers: headers, body: request.body))
        case "/delay":
            let ms = Int(query["ms"] ?? "0") ?? 0
            let index = query["i"] ?? ""
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(ms)) {
                writer.send(HTTPResponse(status: .ok, headers: ["X-Index": index], body: Array(index.utf8)))
            }
        case "/only-get":
            if request.method == .get {
                writer.send(HTTPResponse(body: Array("got".utf8)))
            } else {
                writer.send(.error(.methodNotAllowed, message: "method not allowed"))
            }
        case "/big":
            let count = Int(query["bytes"] ?? "0") ?? 0
            let body = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
                for i in 0..<count { buffer[i] = UInt8(truncatingIfNeeded: i % 251) }
                initialized = count
            }
            writer.send(HTTPResponse(body: body))
        case "/sse":
            let events = Int(query["events"] ?? "3") ?? 3
            guard let stream = writer.startEventStream() else { return }
            DispatchQueue.global().async {
                for i in 0..<events {
                    stream.send(ServerSentEvent(id: "\(i)", event: "tick", data: "event \(i)"))
                    usleep(5_000)
                }
                stream.close()
            }
        default:
            writer.send(.error(.notFound, message: "not found"))
        }
    }

    static func query(_ request: HTTPRequest) -> [String: String] {
        var result: [String: String] = [:]
        for pair in (request.query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            result[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        return result
    }
}

/// Starts a server on 127.0.0.1 port 0 with two loops, runs `body`, shuts it down.
func withServer(_ configure: (inout HTTPServer.Configuration) -> Void = { _ in },
                responder: some HTTPResponder = TestResponder(),
                _ body: (HTTPServer, Int) throws -> Void) throws {
    var configuration = HTTPServer.Configuration(host: "127.0.0.1", port: 0, eventLoopCount: 2)
    configuration.shutdownTimeout = .seconds(2)
    configure(&configuration)
    let server = HTTPServer(configuration: configuration, responder: responder)
    try server.start()
    defer { server.shutdown() }
    XCTAssertNotEqual(server.port, 0)
    try body(server, server.port)
}

/// A thread-safe list for collecting values from responders and worker threads.
final class Collected<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])

    func append(_ value: Value) {
        values.withLock { $0.append(value) }
    }

    var all: [Value] { values.withLock { $0 } }
    var count: Int { values.withLock { $0.count } }
}

/// Polls `condition` every 5 ms until it holds or `timeout` passes.
func eventually(timeout: Double = 3, _ condition: () -> Bool) -> Bool {
    let deadline = Deadline.now() + .milliseconds(Int(timeout * 1000))
    while Deadline.now() < deadline {
        if condition() { return true }
        usleep(5_000)
    }
    return condition()
}

/// Seconds elapsed while running `body`.
func elapsed(_ body: () throws -> Void) rethrows -> Double {
    let start = Deadline.now()
    try body()
    return Double(Deadline.now().nanoseconds - start.nanoseconds) / 1e9
}

func request(_ method: String = "GET", _ target: String, headers: [String] = [], body: String = "") -> String {
    var text = "\(method) \(target) HTTP/1.1\r\nHost: test\r\n"
    for header in headers { text += header + "\r\n" }
    if !body.isEmpty { text += "Content-Length: \(body.utf8.count)\r\n" }
    return text + "\r\n" + body
}
