import Foundation
import Glibc

/// Why the WebSocket test client gave up.
public enum WebSocketTestClientError: Error, Equatable {
    case connectFailed(errno: Int32)
    case sendFailed(errno: Int32)
    case timedOut
    case closedByPeer
    case reset
    case malformed(String)
}

/// A blocking WebSocket client over a raw TCP socket, written independently
/// of the server's code so tests can send any byte sequence (unmasked frames,
/// reserved bits, odd splits) and read the server's frames exactly.
public final class WebSocketTestClient: @unchecked Sendable {
    public struct Frame: Equatable, Sendable {
        public var fin: Bool
        public var opcode: UInt8
        public var payload: [UInt8]
        public var text: String { String(decoding: payload, as: UTF8.self) }
        /// The status code of a close frame, if it has one.
        public var closeCode: UInt16? {
            opcode == 8 && payload.count >= 2 ? UInt16(payload[0]) << 8 | UInt16(payload[1]) : nil
        }
    }

    public struct HandshakeResponse {
        public var status: Int
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]
        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    public let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var rng = SystemRandomNumberGenerator()

    /// Connects to 127.0.0.1:`port`. `receiveBufferSize` shrinks the kernel buffer (slow-reader tests).
    public init(port: Int, timeout: Double = 5, receiveBufferSize: Int32? = nil) throws(WebSocketTestClientError) {
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

    /// A fresh 16-byte key in base64 (Foundation's encoder, not the server's).
    public static func randomKey() -> String {
        var g = SystemRandomNumberGenerator()
        return Data((0..<16).map { _ in UInt8.random(in: 0...255, using: &g) }).base64EncodedString()
    }

    /// The accept value a correct server must answer `key` with, computed by Python's hashlib and base64.
    public static func expectedAccept(forKey key: String) throws -> String? {
        guard let python = Executables.which("python3") else { return nil }
        let script = "import sys,hashlib,base64\nk=sys.stdin.read().strip()\nprint(base64.b64encode(hashlib.sha1((k+'258EAFA5-E914-47DA-95CA-C5AB0DC85B11').encode()).digest()).decode())"
        return try Executables.run(python, ["-c", script], stdin: key).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Sends an upgrade request (standard fields unless `fields` replaces
    /// them) and reads the response head (and body for non-101 answers).
    public func handshake(path: String = "/", key: String = WebSocketTestClient.randomKey(),
                          fields: [String]? = nil, extra: [String] = []) throws(WebSocketTestClientError) -> HandshakeResponse {
        let lines = fields ?? ["Host: 127.0.0.1", "Upgrade: websocket", "Connection: Upgrade",
                               "Sec-WebSocket-Key: \(key)", "Sec-WebSocket-Version: 13"]
        try send(Array(("GET \(path) HTTP/1.1\r\n" + (lines + extra).map { $0 + "\r\n" }.joined() + "\r\n").utf8))
        return try readHandshakeResponse()
    }

    /// Reads an HTTP response head; for a status other than 101, its `Content-Length` body too.
    public func readHandshakeResponse() throws(WebSocketTestClientError) -> HandshakeResponse {
        let statusLine = try readLine()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, let status = Int(parts[1]) else { throw .malformed(statusLine) }
        var headers: [(name: String, value: String)] = []
        while true {
            let line = try readLine()
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { throw .malformed(line) }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        var response = HandshakeResponse(status: status, headers: headers, body: [])
        if status != 101, let length = response.header("Content-Length").flatMap(Int.init) {
            response.body = try readExactly(length)
        }
        return response
    }

    public func send(_ bytes: [UInt8]) throws(WebSocketTestClientError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw .sendFailed(errno: errno) }
            offset += n
        }
    }

    /// A client frame as bytes: masked with a random key unless `masked` is false.
    public func encodeFrame(opcode: UInt8, payload: [UInt8], fin: Bool = true, masked: Bool = true, rsv: UInt8 = 0) -> [UInt8] {
        var out: [UInt8] = [(fin ? 0x80 : 0) | (rsv & 7) << 4 | (opcode & 0x0F)]
        let maskBit: UInt8 = masked ? 0x80 : 0
        if payload.count < 126 {
            out.append(maskBit | UInt8(payload.count))
        } else if payload.count < 65536 {
            out += [maskBit | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            out.append(maskBit | 127)
            for i in (0..<8).reversed() { out.append(UInt8((payload.count >> (8 * i)) & 0xFF)) }
        }
        guard masked else { return out + payload }
        let key = (0..<4).map { _ in UInt8.random(in: 0...255, using: &rng) }
        out += key
        for (i, b) in payload.enumerated() { out.append(b ^ key[i % 4]) }
        return out
    }

    public func sendFrame(opcode: UInt8, payload: [UInt8], fin: Bool = true, masked: Bool = true, rsv: UInt8 = 0) throws(WebSocketTestClientError) {
        try send(encodeFrame(opcode: opcode, payload: payload, fin: fin, masked: masked, rsv: rsv))
    }

    public func sendText(_ text: String) throws(WebSocketTestClientError) {
        try sendFrame(opcode: 1, payload: Array(text.utf8))
    }

    /// Sends a close frame with `code` (and `reason`).
    public func sendClose(code: UInt16, reason: String = "") throws(WebSocketTestClientError) {
        try sendFrame(opcode: 8, payload: [UInt8(code >> 8), UInt8(code & 0xFF)] + Array(reason.utf8))
    }

    /// Reads one frame as the server sent it; server frames must not be masked.
    public func readFrame() throws(WebSocketTestClientError) -> Frame {
        let head = try readExactly(2)
        if head[1] & 0x80 != 0 { throw .malformed("server frame is masked") }
        var length = Int(head[1] & 0x7F)
        if length == 126 {
            let b = try readExactly(2)
            length = Int(b[0]) << 8 | Int(b[1])
        } else if length == 127 {
            length = try readExactly(8).reduce(0) { $0 << 8 | Int($1) }
        }
        return Frame(fin: head[0] & 0x80 != 0, opcode: head[0] & 0x0F, payload: try readExactly(length))
    }

    /// Reads frames until a text frame, skipping the server's pings; throws on a close frame.
    public func readText() throws(WebSocketTestClientError) -> String {
        while true {
            let frame = try readFrame()
            switch frame.opcode {
            case 1: return frame.text
            case 9, 10: continue
            case 8: throw .malformed("close frame \(frame.closeCode.map(String.init) ?? "-") \(String(decoding: frame.payload.dropFirst(2), as: UTF8.self))")
            default: throw .malformed("unexpected opcode \(frame.opcode)")
            }
        }
    }

    /// True when the server closes (EOF or reset) with nothing more sent, within the receive timeout.
    public func isClosedByPeer() -> Bool {
        do {
            if start < buffer.count { return false }
            return try !fill() && start == buffer.count
        } catch {
            return error == .reset
        }
    }

    private func readLine() throws(WebSocketTestClientError) -> String {
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

    private func readExactly(_ count: Int) throws(WebSocketTestClientError) -> [UInt8] {
        while buffer.count - start < count {
            guard try fill() else { throw .closedByPeer }
        }
        let data = Array(buffer[start..<start + count])
        start += count
        return data
    }

    /// Reads more bytes; false at EOF.
    private func fill() throws(WebSocketTestClientError) -> Bool {
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
