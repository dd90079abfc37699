import Dispatch
import Glibc
import HTTP
import Synchronization
import XCTest

/// Streamed responses and server-sent events over real sockets.
final class HTTPStreamTests: XCTestCase {
    func testServerSentEventsArriveAsChunksAndTheStreamEnds() throws {
        try withServer { _, port in
            let client = try TestHTTPClient(port: port)
            try client.send(request("GET", "/sse?events=3"))
            let head = try client.readResponseHead()
            XCTAssertEqual(head.status, 200)
            XCTAssertEqual(head.header("Content-Type"), "text/event-stream")
            XCTAssertEqual(head.header("Transfer-Encoding"), "chunked")
            XCTAssertNil(head.header("Content-Length"))
            for i in 0..<3 {
                let chunk = try XCTUnwrap(client.readChunk())
                XCTAssertEqual(String(decoding: chunk, as: UTF8.self), "id: \(i)\nevent: tick\ndata: event \(i)\n\n")
            }
            XCTAssertNil(try client.readChunk())
            try client.send(request("GET", "/echo"))
            XCTAssertEqual(try client.readResponse().status, 200)
        }
    }

    func testHTTP10StreamIsCloseDelimited() throws {
        try withServer { _, port in
            let client = try TestHTTPClient(port: port)
            try client.send("GET /sse?events=2 HTTP/1.0\r\n\r\n")
            let response = try client.readResponse()
            XCTAssertEqual(response.header("Connection"), "close")
            XCTAssertNil(response.header("Transfer-Encoding"))
            XCTAssertEqual(response.text, "id: 0\nevent: tick\ndata: event 0\n\nid: 1\nevent: tick\ndata: event 1\n\n")
        }
    }

    func testClientGoingAwayRunsOnClose() throws {
        let closed = Collected<Bool>()
        let streams = Collected<HTTPStream>()
        let responder = ClosureResponder { _, writer in
            guard let stream = writer.startEventStream() else { return }
            stream.onClose { closed.append(true) }
            stream.send(ServerSentEvent(data: "hello"))
            streams.append(stream)
        }
        try withServer(responder: responder) { _, port in
            do {
                let client = try TestHTTPClient(port: port)
                try client.send(request("GET", "/events"))
                _ = try client.readResponseHead()
                XCTAssertEqual(try client.readChunk().map { String(decoding: $0, as: UTF8.self) }, "data: hello\n\n")
            }
            XCTAssertTrue(eventually { closed.count == 1 })
            XCTAssertEqual(streams.all.first?.isClosed, true)
            XCTAssertEqual(streams.all.first?.write(Array("late".utf8)), false)
        }
    }

    func testSlowReaderIsDroppedWithBoundedMemory() throws {
        let limit = 64 * 1024
        let pushed = Atomic<Int>(0)
        let refused = Collected<Bool>()
        let closed = Collected<Bool>()
        let responder = ClosureResponder { _, writer in
            guard let stream = writer.startEventStream() else { return }
            stream.onClose { closed.append(true) }
            DispatchQueue.global().async {
                let event = ServerSentEvent(data: String(repeating: "x", count: 1000))
                while pushed.load(ordering: .relaxed) < 200_000_000 {
                    guard stream.send(event) else {
                        refused.append(true)
                        return
                    }
                    pushed.wrappingAdd(1000, ordering: .relaxed)
                }
            }
        }
        try withServer({ $0.maxOutputBytes = limit }, responder: responder) { server, port in
            let client = try TestHTTPClient(port: port, receiveBufferSize: 4096)
            try client.send(request("GET", "/events"))
            XCTAssertTrue(eventually(timeout: 10) { refused.count == 1 }, "the slow reader was never refused")
            XCTAssertTrue(eventually { closed.count == 1 })
            XCTAssertTrue(eventually { server.statistics.openConnections == 0 })
            // What was accepted is the bound plus what the kernel's socket buffers absorbed, not unbounded.
            XCTAssertLessThan(pushed.load(ordering: .relaxed), 32 * 1024 * 1024)
        }
    }

    func testShutdownEndsOpenStreams() throws {
        let closed = Collected<Bool>()
        let responder = ClosureResponder { _, writer in
            guard let stream = writer.startEventStream() else { return }
            stream.onClose { closed.append(true) }
            stream.send(ServerSentEvent(data: "first"))
        }
        var configuration = HTTPServer.Configuration(host: "127.0.0.1", port: 0, eventLoopCount: 1)
        configuration.shutdownTimeout = .seconds(2)
        let server = HTTPServer(configuration: configuration, responder: responder)
        try server.start()
        let client = try TestHTTPClient(port: server.port)
        try client.send(request("GET", "/events"))
        _ = try client.readResponseHead()
        XCTAssertNotNil(try client.readChunk())
        let seconds = elapsed { server.shutdown() }
        XCTAssertLessThan(seconds, 1.5)
        XCTAssertNil(try client.readChunk())
        XCTAssertEqual(closed.count, 1)
    }

    func testServerSentEventEncoding() {
        XCTAssertEqual(String(decoding: ServerSentEvent(data: "a\nb").bytes, as: UTF8.self), "data: a\ndata: b\n\n")
        XCTAssertEqual(String(decoding: ServerSentEvent(id: "7", event: "block", data: "{}", retry: 500).bytes, as: UTF8.self),
                       "id: 7\nevent: block\nretry: 500\ndata: {}\n\n")
    }
}
