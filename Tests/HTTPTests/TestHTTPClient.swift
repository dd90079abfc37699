import Glibc
import HTTP
import TestSupport

/// Why the test client gave up: the raw socket's errors.
typealias TestClientError = TestSocketError

/// A response as the test client read it.
struct TestResponse {
    var status: Int
    var reason: String
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A blocking HTTP/1.1 client over a real socket, with receive/send timeouts,
/// that reads responses byte-exactly so tests can check framing, pipelining
/// and connection closes.
final class TestHTTPClient {
    private let socket: TestSocket
    var fd: Int32 { socket.fd }

    /// Connects to 127.0.0.1:`port`. `receiveBufferSize` shrinks the kernel buffer (slow-reader tests).
    init(port: Int, timeout: Double = 5, receiveBufferSize: Int32? = nil) throws(TestClientError) {
        socket = try TestSocket(port: port, timeout: timeout, receiveBufferSize: receiveBufferSize)
    }

    func send(_ text: String) throws(TestClientError) {
        try send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) throws(TestClientError) {
        try socket.send(bytes)
    }

    /// Half-closes the write side.
    func shutdownWrite() {
        shutdown(fd, Int32(SHUT_WR))
    }

    /// Reads one response. `expectBody: false` for answers to HEAD.
    func readResponse(expectBody: Bool = true) throws(TestClientError) -> TestResponse {
        let head = try readLine()
        let parts = head.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else { throw .malformed(head) }
        var headers: [(name: String, value: String)] = []
        while true {
            let line = try readLine()
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { throw .malformed(line) }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingSpaces))
        }
        var response = TestResponse(status: status, reason: parts.count > 2 ? String(parts[2]) : "", headers: headers, body: [])
        guard expectBody, status >= 200, status != 204, status != 304 else { return response }
        if let length = response.header("Content-Length").flatMap(Int.init) {
            response.body = try readExactly(length)
        } else if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
            while let chunk = try readChunk() { response.body += chunk }
        } else {
            response.body = try readUntilClosed()
        }
        return response
    }

    /// Reads the head of a streamed response (status and headers only).
    func readResponseHead() throws(TestClientError) -> TestResponse {
        try readResponse(expectBody: false)
    }

    /// Reads one chunk of a chunked body; nil at the last chunk (trailers skipped).
    func readChunk() throws(TestClientError) -> [UInt8]? {
        let sizeLine = try readLine()
        guard let size = Int(sizeLine.split(separator: ";")[0], radix: 16) else { throw .malformed(sizeLine) }
        if size == 0 {
            while try !readLine().isEmpty {}
            return nil
        }
        let data = try readExactly(size)
        guard try readLine().isEmpty else { throw .malformed("chunk without CRLF") }
        return data
    }

    /// Reads everything until the server closes.
    func readUntilClosed() throws(TestClientError) -> [UInt8] { try socket.readUntilClosed() }

    /// True when the server closes (EOF or reset) with nothing more sent, within the receive timeout.
    func isClosedByPeer() -> Bool { socket.isClosedByPeer() }

    private func readLine() throws(TestClientError) -> String { try socket.readLine() }

    private func readExactly(_ count: Int) throws(TestClientError) -> [UInt8] { try socket.readExactly(count) }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
