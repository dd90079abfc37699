import Dispatch
import Glibc
import HTTP
import XCTest

/// Refusals and limits over real sockets: each gets its status, a JSON error
/// body and `Connection: close`, and the server keeps serving.
final class HTTPServerLimitTests: XCTestCase {
    private func assertRefused(_ raw: String, status: Int, message: String? = nil, port: Int,
                               file: StaticString = #filePath, line: UInt = #line) throws {
        let client = try TestHTTPClient(port: port)
        try client.send(raw)
        let response = try client.readResponse()
        XCTAssertEqual(response.status, status, raw.debugDescription, file: file, line: line)
        XCTAssertEqual(response.header("Connection"), "close", file: file, line: line)
        XCTAssertEqual(response.header("Content-Type"), "application/json", file: file, line: line)
        XCTAssertTrue(response.text.hasPrefix(#"{"error":""#), response.text, file: file, line: line)
        if let message { XCTAssertEqual(response.text, #"{"error":"\#(message)"}"#, file: file, line: line) }
        XCTAssertTrue(client.isClosedByPeer(), file: file, line: line)
    }

    func testEachRefusalHasItsStatus() throws {
        try withServer({ $0.maxBodyBytes = 1000; $0.maxHeaderBytes = 2048 }) { _, port in
            let cases: [(String, Int, String?)] = [
                ("GARBAGE\r\n\r\n", 400, "malformed request line"),
                ("GET /\r\n\r\n", 400, nil),
                ("GET / HTTP/1.1\r\nHost: t\r\nBad Header: x\r\n\r\n", 400, "malformed header"),
                ("GET / HTTP/1.1\r\nHost: t\r\n folded\r\n\r\n", 400, nil),
                ("GET / HTTP/1.1\r\n\r\n", 400, nil),
                ("BREW / HTTP/1.1\r\nHost: t\r\n\r\n", 501, "method not implemented"),
                ("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501, nil),
                ("GET / HTTP/2.0\r\nHost: t\r\n\r\n", 505, "HTTP version not supported"),
                ("GET / HTTP/1.2\r\nHost: t\r\n\r\n", 505, nil),
                ("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n", 413, "request body too large"),
                ("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n7D0\r\n", 413, nil),
                ("GET / HTTP/1.1\r\nHost: t\r\nX-Big: \(String(repeating: "a", count: 3000))\r\n\r\n", 431, "request header too large"),
                ("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400, nil),
                ("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400, "conflicting Content-Length"),
                ("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: -1\r\n\r\n", 400, nil),
                ("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400, nil),
                ("POST / HTTP/1.1\r\nHost: t\r\nExpect: teapot\r\nContent-Length: 1\r\n\r\nx", 417, nil),
            ]
            for (raw, status, message) in cases {
                try assertRefused(raw, status: status, message: message, port: port)
            }
            let client = try TestHTTPClient(port: port)
            try client.send(request("GET", "/missing"))
            XCTAssertEqual(try client.readResponse().status, 404)
        }
    }

    func testDuplicateIdenticalContentLengthIsAccepted() throws {
        try withServer { _, port in
            let client = try TestHTTPClient(port: port)
            try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok")
            XCTAssertEqual(try client.readResponse().text, "ok")
        }
    }

    func testErrorAfterPipelinedRequestsComesInOrder() throws {
        try withServer { _, port in
            let client = try TestHTTPClient(port: port)
            try client.send(request("GET", "/delay?ms=50&i=1") + "BAD\r\n\r\n")
            XCTAssertEqual(try client.readResponse().header("X-Index"), "1")
            XCTAssertEqual(try client.readResponse().status, 400)
            XCTAssertTrue(client.isClosedByPeer())
        }
    }

    func testHeaderTimeoutAnswers408() throws {
        try withServer({ $0.headerTimeout = .milliseconds(300) }) { _, port in
            let client = try TestHTTPClient(port: port)
            try client.send("GET /echo HTTP/1.1\r\nHost: t\r\n")
            var response: TestResponse?
            let seconds = try elapsed { response = try client.readResponse() }
            XCTAssertEqual(response?.status, 408)
            XCTAssertEqual(response?.text, #"{"error":"request header timeout"}"#)
            XCTAssertGreaterThan(seconds, 0.2)
            XCTAssertLessThan(seconds, 2)
        }
    }

    func testBodyTimeoutAnswers408() throws {
        try withServer({ $0.bodyTimeout = .milliseconds(300) }) { _, port in
            let client = try TestHTTPClient(port: port)
            try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc")
            let response = try client.readResponse()
            XCTAssertEqual(response.status, 408)
            XCTAssertEqual(response.text, #"{"error":"request body timeout"}"#)
        }
    }

    func testSilentNewConnectionIsClosedAfterHeaderTimeout() throws {
        try withServer({ $0.headerTimeout = .milliseconds(200) }) { _, port in
            let client = try TestHTTPClient(port: port)
            XCTAssertTrue(client.isClosedByPeer())
        }
    }

    func testIdleKeepAliveConnectionIsClosed() throws {
        try withServer({ $0.idleTimeout = .milliseconds(200) }) { server, port in
            let client = try TestHTTPClient(port: port)
            try client.send(request("GET", "/echo"))
            XCTAssertEqual(try client.readResponse().status, 200)
            let seconds = elapsed { XCTAssertTrue(client.isClosedByPeer()) }
            XCTAssertLessThan(seconds, 2)
            XCTAssertTrue(eventually { server.statistics.openConnections == 0 })
        }
    }

    func testSlowlorisIsCutOffWhileOthersAreServedPromptly() throws {
        try withServer({ $0.headerTimeout = .seconds(1); $0.eventLoopCount = 1 }) { _, port in
            let slowResult = Collected<Int>()
            let group = DispatchGroup()
            for _ in 0..<5 {
                DispatchQueue.global().async(group: group) {
                    guard let slow = try? TestHTTPClient(port: port) else { return }
                    let head = Array("GET /echo HTTP/1.1\r\nHost: t\r\nX-Pad: \(String(repeating: "p", count: 200))".utf8)
                    for byte in head.prefix(60) {
                        if (try? slow.send([byte])) == nil { break }
                        usleep(20_000)
                    }
                    slowResult.append((try? slow.readResponse().status) ?? -1)
                }
            }
            usleep(100_000)
            let client = try TestHTTPClient(port: port)
            var worst = 0.0
            for i in 0..<50 {
                let seconds = try elapsed {
                    try client.send(request("POST", "/echo", body: "\(i)"))
                    XCTAssertEqual(try client.readResponse().text, "\(i)")
                }
                worst = max(worst, seconds)
            }
            XCTAssertLessThan(worst, 0.4, "a well-behaved client waited behind slow ones")
            group.wait()
            XCTAssertEqual(slowResult.all, [408, 408, 408, 408, 408])
        }
    }

    func testConnectionLimitRefusesExtraConnectionsAndRecovers() throws {
        try withServer({ $0.maxConnections = 5 }) { server, port in
            var clients: [TestHTTPClient] = []
            for _ in 0..<5 {
                let client = try TestHTTPClient(port: port)
                try client.send(request("GET", "/echo"))
                XCTAssertEqual(try client.readResponse().status, 200)
                clients.append(client)
            }
            let extra = try TestHTTPClient(port: port)
            let refused = try extra.readResponse()
            XCTAssertEqual(refused.status, 503)
            XCTAssertEqual(refused.text, #"{"error":"too many connections"}"#)
            XCTAssertTrue(extra.isClosedByPeer())
            XCTAssertEqual(server.statistics.rejectedConnections, 1)

            clients.removeFirst()
            XCTAssertTrue(eventually { server.statistics.openConnections == 4 })
            let again = try TestHTTPClient(port: port)
            try again.send(request("GET", "/echo"))
            XCTAssertEqual(try again.readResponse().status, 200)
            for client in clients {
                try client.send(request("GET", "/echo"))
                XCTAssertEqual(try client.readResponse().status, 200)
            }
        }
    }

    func testClientThatNeverReadsIsDroppedAfterWriteTimeout() throws {
        try withServer({ $0.writeTimeout = .milliseconds(300); $0.maxOutputBytes = 64 * 1024 }) { server, port in
            let client = try TestHTTPClient(port: port, receiveBufferSize: 4096)
            let seconds = try elapsed {
                try client.send(request("GET", "/big?bytes=8000000"))
                XCTAssertTrue(eventually { server.statistics.requests == 1 })
                XCTAssertTrue(eventually(timeout: 5) { server.statistics.openConnections == 0 })
            }
            XCTAssertGreaterThan(seconds, 0.25)
        }
    }
}
