import Glibc
import HTTP

/// Why the test client gave up.
enum TestClientError: Error, Equatable {
    case connectFailed(errno: Int32)
    case sendFailed(errno: Int32)
    case timedOut
    case closedByPeer
    case reset
    case malformed(String)
}

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
    let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0

    /// Connects to 127.0.0.1:`port`. `receiveBufferSize` shrinks the kernel buffer (slow-reader tests).
    init(port: Int, timeout: Double = 5, receiveBufferSize: Int32? = nil) throws(TestClientError) {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw .connectFailed(errno: errno) }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var on: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        if var size = receiveBufferSize {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            let e = errno
            Glibc.close(fd)
            throw .connectFailed(errno: e)
        }
    }

    deinit {
        Glibc.close(fd)
    }

    func send(_ text: String) throws(TestClientError) {
        try send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) throws(TestClientError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw .sendFailed(errno: errno) }
            offset += n
        }
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
    func readUntilClosed() throws(TestClientError) -> [UInt8] {
        while try fill() {}
        let rest = Array(buffer[start...])
        start = buffer.count
        return rest
    }

    /// True when the server closes (EOF or reset) with nothing more sent, within the receive timeout.
    func isClosedByPeer() -> Bool {
        do {
            if start < buffer.count { return false }
            return try !fill() && start == buffer.count
        } catch {
            return error == .reset
        }
    }

    private func readLine() throws(TestClientError) -> String {
        while true {
            if let lf = buffer[start...].firstIndex(of: 10) {
                var end = lf
                if end > start && buffer[end - 1] == 13 { end -= 1 }
                let line = String(decoding: buffer[start..<end], as: UTF8.self)
                start = lf + 1
                return line
            }
            guard try fill() else { throw .closedByPeer }
        }
    }

    private func readExactly(_ count: Int) throws(TestClientError) -> [UInt8] {
        while buffer.count - start < count {
            guard try fill() else { throw .closedByPeer }
        }
        let data = Array(buffer[start..<start + count])
        start += count
        return data
    }

    /// Reads more bytes; false at EOF.
    private func fill() throws(TestClientError) -> Bool {
        if start > 0 && start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n > 0 {
            buffer += chunk[0..<n]
            return true
        }
        if n == 0 { return false }
        switch errno {
        case EAGAIN, EWOULDBLOCK: throw .timedOut
        case ECONNRESET: throw .reset
        default: throw .malformed("recv errno \(errno)")
        }
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
