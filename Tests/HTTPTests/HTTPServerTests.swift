import Glibc
import HTTP
import XCTest

/// Protocol behaviour over real loopback sockets.
final class HTTPServerTests: XCTestCase {
    func testKeepAliveServesAThousandRequestsOnOneConnection() throws {
        try withServer { server, port in
            let client = try TestHTTPClient(port: port)
            for i in 0..<1000 {
                try client.send(request("POST", "/echo?n=\(i)", body: "body \(i)"))
                let response = try client.readResponse()
                XCTAssertEqual(response.status, 200)
                XCTAssertEqual(response.text, "body \(i)")
                XCTAssertEqual(response.header("X-Query"), "n=\(i)")
            }
            XCTAssertEqual(server.statistics.acceptedConnections, 1)
        }
    }

    func testPipelinedRequestsAreAnsweredInOrderWhenCompletedOutOfOrder() throws {
        try withServer { _, port in
            let client = try TestHTTPClient(port: port)
            let batch = (0..<10).map { i in request("GET", "/delay?ms=\((10 - i) * 15)&i=\(i)") }.joined()
            try client.send(batch)
            for i in 0..<10 {
                let response = try client.readResponse()
                XCTAssertEqual(response.status, 200)
                XCTAssertEqual(response.header("X-Index"), "\(i)")
            }
        }
    }

    func testPipelinedRequestsBeyondTheQueueLimitAreAllServed() throws {
        try withServer({ $0.maxPipelinedRequests = 2 }) { _, port in
            let client = try TestHTTPClient(port: port)
            try client.send((0..<20).map { request("GET", "/delay?ms=2&i=\($0)") }.joined())
            for i in 0..<20 {
                XCTAssertEqual(try client.readResponse().header("X-Index"), "\(i)")
            }
        }
    }

    func testRequestSentOneByteAtATime() throws {
        try withServer { _, port in
            let client = try TestHTTPClient(port: port)
            let text = request("POST", "/echo", headers: ["X-Id: drip"], body: "drip-fed body")
            for byte in text.utf8 {
                try client.send([byte])
                usleep(200)
            }
            let response = try client.readResponse()
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(response.text, "drip-fed body")
            XCTAssertEqual(response.header("X-Id"), "drip")
        }
    }

    func testChunkedBodyWithExtensionsAndTrailers() throws {
        try withServer { _, port in
            let client = try TestHTTPClient(port: port)
            try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n1\r\n \r\n5 ; x=\"y\"\r\nworld\r\n0\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n")
            let response = try client.readResponse()
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(response.text, "hello world")
            XCTAssertEqual(response.header("X-Trailers"), "X-Checksum=abc,X-Other=1")
            try client.send(request("POST", "/echo", body: "after"))
            XCTAssertEqual(try client.readResponse().text, "after")
        }
    }

    func testExpectContinueGetsInterimResponseBeforeBody() throws {
        try withServer { _, port in
            let client = try TestHTTPClient(port: port)
            try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 7\r\n\r\n")
            let interim = try client.readResponse()
            XCTAssertEqual(interim.status, 100)
            try client.send("payload")
            let response = try client.readResponse()
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(response.text, "payload")
        }
    }

    func testExpectContinueWithTooLargeBodyGets413Instead() throws {
        try withServer({ $0.maxBodyBytes = 100 }) { _, port in
            let client = try TestHTTPClient(port: port)
            try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 1000\r\n\r\n")
            let response = try client.readResponse()
            XCTAssertEqual(response.status, 413)
            XCTAssertEqual(response.header("Connection"), "close")
        }
    }

    func testHTTP10ClosesUnlessKeepAlive() throws {
        try withServer { _, port in
            let plain = try TestHTTPClient(port: port)
            try plain.send("GET /echo HTTP/1.0\r\n\r\n")
            let first = try plain.readResponse()
            XCTAssertEqual(first.status, 200)
            XCTAssertEqual(first.header("Connection"), "close")
            XCTAssertTrue(plain.isClosedByPeer())

            let kept = try TestHTTPClient(port: port)
            for _ in 0..<3 {
                try kept.send("POST /echo HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok")
                let response = try kept.readResponse()
                XCTAssertEqual(response.text, "ok")
                XCTAssertEqual(response.header("Connection"), "keep-alive")
            }
        }
    }

    func testConnectionCloseIsHonoured() throws {
        try withServer { _, port in
            let client = try TestHTTPClient(port: port)
            try client.send(request("GET", "/echo", headers: ["Connection: close"]) + request("GET", "/echo"))
            let response = try client.readResponse()
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(response.header("Connection"), "close")
            XCTAssertTrue(client.isClosedByPeer())
        }
    }

    func testHeadResponseHasLengthButNoBody() throws {
        try withServer { _, port in
            let client = try TestHTTPClient(port: port)
            try client.send(request("HEAD", "/big?bytes=123") + request("GET", "/big?bytes=5"))
            let head = try client.readResponse(expectBody: false)
            XCTAssertEqual(head.header("Content-Length"), "123")
            XCTAssertEqual(try client.readResponse().body.count, 5)
        }
    }

    func testLargeResponseToASlowReaderIsWrittenCompletely() throws {
        try withServer { _, port in
            let client = try TestHTTPClient(port: port, receiveBufferSize: 4096)
            try client.send(request("GET", "/big?bytes=4000000"))
            usleep(100_000)
            let response = try client.readResponse()
            XCTAssertEqual(response.body.count, 4_000_000)
            XCTAssertEqual(response.body[3_999_999], UInt8(3_999_999 % 251))
        }
    }

    func testResponsesCarryServerDateAndContentLength() throws {
        try withServer({ $0.serverName = "test-server" }) { _, port in
            let client = try TestHTTPClient(port: port)
            try client.send(request("GET", "/missing"))
            let response = try client.readResponse()
            XCTAssertEqual(response.status, 404)
            XCTAssertEqual(response.header("Server"), "test-server")
            XCTAssertNotNil(response.header("Date"))
            XCTAssertEqual(response.header("Content-Length"), "\(response.body.count)")
            XCTAssertEqual(response.text, #"{"error":"not found"}"#)
        }
    }

    func testMethodNotAllowedFromResponder() throws {
        try withServer { _, port in
            let client = try TestHTTPClient(port: port)
            try client.send(request("POST", "/only-get", body: "x") + request("GET", "/only-get"))
            XCTAssertEqual(try client.readResponse().status, 405)
            XCTAssertEqual(try client.readResponse().text, "got")
        }
    }

    func testCORSPreflightAndOriginHeader() throws {
        try withServer({ $0.cors = CORSConfiguration() }) { _, port in
            let client = try TestHTTPClient(port: port)
            try client.send(request("OPTIONS", "/", headers: ["Origin: https://dapp.example", "Access-Control-Request-Method: POST",
                                                               "Access-Control-Request-Headers: content-type"]))
            let preflight = try client.readResponse()
            XCTAssertEqual(preflight.status, 204)
            XCTAssertEqual(preflight.header("Access-Control-Allow-Origin"), "*")
            XCTAssertEqual(preflight.header("Access-Control-Allow-Methods"), "GET, POST, OPTIONS")
            XCTAssertEqual(preflight.header("Access-Control-Allow-Headers"), "Content-Type, Authorization")
            XCTAssertEqual(preflight.header("Access-Control-Max-Age"), "86400")
            XCTAssertNil(preflight.header("Content-Length"))

            try client.send(request("POST", "/echo", headers: ["Origin: https://dapp.example"], body: "{}"))
            let response = try client.readResponse()
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(response.header("Access-Control-Allow-Origin"), "*")
        }
    }

    func testRemoteAddressIsReported() throws {
        let seen = Collected<String>()
        let responder = ClosureResponder { request, writer in
            seen.append(request.remoteAddress?.host ?? "none")
            writer.send(HTTPResponse())
        }
        try withServer(responder: responder) { _, port in
            let client = try TestHTTPClient(port: port)
            try client.send(request("GET", "/"))
            XCTAssertEqual(try client.readResponse().status, 200)
            XCTAssertEqual(seen.all, ["127.0.0.1"])
        }
    }
}
