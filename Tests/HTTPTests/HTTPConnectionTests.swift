@testable import HTTP
import XCTest

/// The connection state machine driven with bytes and a fake clock: no sockets, no sleeps.
final class HTTPConnectionTests: XCTestCase {
    private let second: UInt64 = 1_000_000_000

    private func makeConnection(_ adjust: (inout HTTPConnection.Limits) -> Void = { _ in }) -> HTTPConnection {
        var limits = HTTPConnection.Limits()
        limits.headerTimeout = 10 * second
        limits.bodyTimeout = 20 * second
        limits.idleTimeout = 60 * second
        limits.writeTimeout = 30 * second
        limits.lingerTimeout = 2 * second
        adjust(&limits)
        return HTTPConnection(parserLimits: .init(maxHeaderBytes: 1024, maxBodyBytes: 1024), limits: limits,
                              now: Deadline(nanoseconds: 0))
    }

    private func at(_ seconds: Double) -> Deadline {
        Deadline(nanoseconds: UInt64(seconds * 1e9))
    }

    /// Feeds text and returns the dispatched sequences and the final action.
    private func feed(_ connection: inout HTTPConnection, _ text: String, at time: Double = 0) -> (dispatched: [UInt64], last: String) {
        let bytes = Array(text.utf8)
        var dispatched: [UInt64] = []
        var offset = 0
        while true {
            let (used, action) = bytes.withUnsafeBytes { connection.receive(UnsafeRawBufferPointer(rebasing: $0[offset...]), now: at(time)) }
            offset += used
            switch action {
            case .dispatch(_, let sequence): dispatched.append(sequence)
            case .needMoreData: return (dispatched, "needMoreData")
            case .pause: return (dispatched, "pause")
            case .discard: return (dispatched, "discard")
            }
        }
    }

    private func drain(_ connection: inout HTTPConnection) -> String {
        let text = String(decoding: connection.outbound[connection.outboundWritten...], as: UTF8.self)
        connection.didWrite(connection.outbound.count - connection.outboundWritten, now: at(0))
        return text
    }

    func testOutOfOrderCompletionIsWrittenInOrder() {
        var connection = makeConnection()
        let (sequences, last) = feed(&connection, request("GET", "/a") + request("GET", "/b") + request("GET", "/c"))
        XCTAssertEqual(sequences, [0, 1, 2])
        XCTAssertEqual(last, "needMoreData")
        connection.respond(sequence: 2, response: HTTPResponse(body: Array("c".utf8)), now: at(0))
        connection.respond(sequence: 1, response: HTTPResponse(body: Array("b".utf8)), now: at(0))
        XCTAssertFalse(connection.hasPendingOutput)
        connection.respond(sequence: 0, response: HTTPResponse(body: Array("a".utf8)), now: at(0))
        let out = drain(&connection)
        XCTAssertEqual(out.components(separatedBy: "HTTP/1.1 200 OK").count, 4)
        XCTAssertTrue(out.hasSuffix("\r\n\r\nc"))
        let a = out.range(of: "\r\n\r\na")!.lowerBound, b = out.range(of: "\r\n\r\nb")!.lowerBound
        XCTAssertLessThan(a, b)
    }

    func testPipelineLimitPausesReading() {
        var connection = makeConnection { $0.maxPipelinedRequests = 2 }
        let (sequences, last) = feed(&connection, request("GET", "/1") + request("GET", "/2") + request("GET", "/3"))
        XCTAssertEqual(sequences, [0, 1])
        XCTAssertEqual(last, "pause")
        XCTAssertFalse(connection.wantsInput)
        XCTAssertNil(connection.deadline, "no input timeout while we are the slow party")
        connection.respond(sequence: 0, response: HTTPResponse(), now: at(1))
        XCTAssertTrue(connection.canAcceptRequest)
        connection.respond(sequence: 1, response: HTTPResponse(), now: at(2))
        _ = drain(&connection)
        XCTAssertEqual(connection.deadline, at(62), "idle timeout applies again once the queue drains")
    }

    func testHeaderTimeoutQueues408AndCloses() {
        var connection = makeConnection()
        _ = feed(&connection, "GET / HTTP/1.1\r\nHost:", at: 1)
        XCTAssertEqual(connection.deadline, at(11))
        connection.timerFired(now: at(10.5))
        XCTAssertFalse(connection.hasPendingOutput)
        connection.timerFired(now: at(11))
        XCTAssertTrue(drain(&connection).hasPrefix("HTTP/1.1 408 Request Timeout\r\n"))
        XCTAssertEqual(connection.socketAction(now: at(11)), .shutdownWrite)
        XCTAssertEqual(connection.deadline, at(13))
        connection.inputDidEnd()
        XCTAssertEqual(connection.socketAction(now: at(12)), .close)
    }

    func testBodyTimeoutStartsWhenTheHeadEnds() {
        var connection = makeConnection()
        _ = feed(&connection, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nab", at: 3)
        XCTAssertEqual(connection.deadline, at(23))
        connection.timerFired(now: at(23))
        XCTAssertTrue(drain(&connection).hasPrefix("HTTP/1.1 408"))
    }

    func testIdleTimeoutAfterAResponseAndFirstRequestTimeout() {
        var connection = makeConnection()
        XCTAssertEqual(connection.deadline, at(10), "a new connection gets the header timeout")
        _ = feed(&connection, request("GET", "/"), at: 2)
        XCTAssertNil(connection.deadline, "waiting for the responder has no deadline")
        connection.respond(sequence: 0, response: HTTPResponse(), now: at(4))
        _ = drain(&connection)
        XCTAssertEqual(connection.deadline, at(64))
        connection.timerFired(now: at(64))
        XCTAssertEqual(connection.phase, .closed)
    }

    func testStalledWritesCloseAfterWriteTimeout() {
        var connection = makeConnection()
        _ = feed(&connection, request("GET", "/"))
        connection.respond(sequence: 0, response: HTTPResponse(body: [UInt8](repeating: 1, count: 100)), now: at(0))
        connection.didWrite(10, now: at(1))
        connection.writeWouldBlock(now: at(1))
        XCTAssertEqual(connection.deadline, at(31))
        connection.timerFired(now: at(31))
        XCTAssertEqual(connection.phase, .closed)
    }

    func testStreamFramingAndBound() {
        var connection = makeConnection { $0.maxOutputBytes = 300 }
        _ = feed(&connection, request("GET", "/events") + request("GET", "/after"))
        XCTAssertTrue(connection.startStream(sequence: 0, status: .ok, headers: ServerSentEvent.headers))
        connection.respond(sequence: 1, response: HTTPResponse(body: Array("after".utf8)), now: at(0))
        XCTAssertTrue(connection.streamWrite(sequence: 0, bytes: Array("hello".utf8)))
        XCTAssertEqual(connection.openStreams, [0])
        var out = drain(&connection)
        XCTAssertTrue(out.contains("Transfer-Encoding: chunked\r\n"))
        XCTAssertTrue(out.hasSuffix("\r\n\r\n5\r\nhello\r\n"))
        connection.streamEnd(sequence: 0, now: at(0))
        out = drain(&connection)
        XCTAssertTrue(out.hasPrefix("0\r\n\r\nHTTP/1.1 200 OK"))
        XCTAssertTrue(out.hasSuffix("after"))

        _ = feed(&connection, request("GET", "/slow"))
        XCTAssertTrue(connection.startStream(sequence: 2, status: .ok, headers: [:]))
        XCTAssertTrue(connection.streamWrite(sequence: 2, bytes: [UInt8](repeating: 0, count: 100)))
        XCTAssertFalse(connection.streamWrite(sequence: 2, bytes: [UInt8](repeating: 0, count: 200)))
    }

    func testExpectContinueWaitsForEarlierResponses() {
        var connection = makeConnection()
        _ = feed(&connection, request("GET", "/first") + "POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n")
        XCTAssertFalse(connection.hasPendingOutput)
        connection.respond(sequence: 0, response: HTTPResponse(), now: at(0))
        XCTAssertTrue(drain(&connection).hasSuffix("HTTP/1.1 100 Continue\r\n\r\n"))
        XCTAssertEqual(feed(&connection, "ok").dispatched, [1])
    }

    func testShutdownClosesIdleAndMarksLastResponse() {
        var idle = makeConnection()
        idle.beginShutdown()
        XCTAssertEqual(idle.socketAction(now: at(0)), .close)

        var busy = makeConnection()
        _ = feed(&busy, request("GET", "/"))
        busy.beginShutdown()
        busy.respond(sequence: 0, response: HTTPResponse(), now: at(0))
        XCTAssertTrue(drain(&busy).contains("Connection: close\r\n"))
        XCTAssertEqual(busy.socketAction(now: at(0)), .shutdownWrite)
    }

    func testCORSPreflightIsAnsweredWithoutDispatch() {
        var connection = HTTPConnection(parserLimits: .init(), limits: .init(), cors: CORSConfiguration(), now: at(0))
        let (sequences, _) = feed(&connection, request("OPTIONS", "/", headers: ["Access-Control-Request-Method: POST"]))
        XCTAssertEqual(sequences, [])
        XCTAssertTrue(drain(&connection).hasPrefix("HTTP/1.1 204 No Content\r\n"))
    }
}
