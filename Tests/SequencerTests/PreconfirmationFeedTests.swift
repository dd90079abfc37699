import Foundation
import Glibc
import HTTP
import Sequencer
import XCTest

/// The SSE feed over a real socket: increasing event ids, replay after
/// `Last-Event-ID` within the retained window, and heartbeat comments.
final class PreconfirmationFeedTests: XCTestCase {
    func testHeartbeatsIdsAndLastEventIDReplay() throws {
        let feed = PreconfirmationFeed(retained: 5, heartbeatInterval: .milliseconds(100))
        let responder = ClosureResponder { request, writer in
            let last = request.headers["Last-Event-ID"].flatMap { UInt64($0) }
            guard let stream = writer.startEventStream() else { return }
            feed.subscribe(stream, lastEventID: last)
        }
        let server = HTTPServer(configuration: HTTPServer.Configuration(host: "127.0.0.1", port: 0, eventLoopCount: 1), responder: responder)
        try server.start()
        defer { server.shutdown() }

        let a = try FeedReader(port: server.port, lastEventID: nil)
        XCTAssertEqual(try a.next().name, "hello")
        for i in 1...8 { feed.publish(event: "preconfirmation") { "{\"n\":\(i)}" } }
        let live = try (1...8).map { _ in try a.next() }
        XCTAssertEqual(live.map(\.id), (1...8).map { "\($0)" }, "ids count up from 1")
        XCTAssertEqual(live.map(\.data), (1...8).map { "{\"n\":\($0)}" })
        _ = try a.nextComment()
        XCTAssertEqual(a.comments.last, ": heartbeat", "a quiet stream gets heartbeat comments")

        let b = try FeedReader(port: server.port, lastEventID: 5)
        XCTAssertEqual(try b.next().name, "hello")
        XCTAssertEqual(try (0..<3).map { _ in try b.next().id }, ["6", "7", "8"], "what was missed after 5, without gaps")
        feed.publish(event: "preconfirmation") { "{\"n\":9}" }
        XCTAssertEqual(try b.next().id, "9", "then live events")
        XCTAssertEqual(try a.next().id, "9")

        let c = try FeedReader(port: server.port, lastEventID: 1)
        XCTAssertEqual(try c.next().name, "hello")
        XCTAssertEqual(try (0..<5).map { _ in try c.next().id }, ["5", "6", "7", "8", "9"],
                       "beyond the retained window: the oldest retained events")
    }
}

/// A server-sent-events reader over a blocking socket that keeps comment lines
/// and can send `Last-Event-ID`.
final class FeedReader {
    struct Event { var id: String?; var name: String?; var data: String }
    private let fd: Int32
    private var buffer: [UInt8] = []
    private(set) var comments: [String] = []

    init(port: Int, lastEventID: UInt64?) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard rc == 0 else { throw NSError(domain: "connect", code: Int(errno)) }
        var tv = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let resume = lastEventID.map { "Last-Event-ID: \($0)\r\n" } ?? ""
        let request = "GET /feed HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\(resume)\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        var line = try readLine()
        while !line.isEmpty { line = try readLine() }
    }

    deinit { close(fd) }

    /// The next event (comments are collected on the way).
    func next() throws -> Event {
        var event = Event(data: "")
        var started = false
        while true {
            let line = try readLine()
            if line.hasPrefix(":") {
                comments.append(line)
            } else if line.isEmpty {
                if started { return event }
            } else if line.hasPrefix("id: ") { event.id = String(line.dropFirst(4)); started = true }
            else if line.hasPrefix("event: ") { event.name = String(line.dropFirst(7)); started = true }
            else if line.hasPrefix("data: ") { event.data += String(line.dropFirst(6)); started = true }
            else if line.hasPrefix("retry: ") { started = true }
        }
    }

    /// Reads until the next comment line.
    func nextComment() throws -> String {
        let before = comments.count
        while comments.count == before {
            let line = try readLine()
            if line.hasPrefix(":") { comments.append(line) }
        }
        return comments[before]
    }

    /// One line of the body; chunk-size lines of the chunked framing are skipped.
    private func readLine() throws -> String {
        while true {
            if let i = buffer.firstIndex(of: 10) {
                var line = Array(buffer[..<i])
                buffer.removeFirst(i + 1)
                if line.last == 13 { line.removeLast() }
                let text = String(decoding: line, as: UTF8.self)
                if !text.isEmpty, text.allSatisfy(\.isHexDigit), isChunkSize(text) { continue }
                return text
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { throw NSError(domain: "feed closed or timed out", code: Int(errno)) }
            buffer += chunk[..<n]
        }
    }

    private func isChunkSize(_ text: String) -> Bool { text.count <= 6 }
}
