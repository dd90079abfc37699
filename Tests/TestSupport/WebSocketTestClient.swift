import Foundation
import Glibc

/// Why the WebSocket test client gave up: the raw socket's errors.
public typealias WebSocketTestClientError = TestSocketError

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

    private let socket: TestSocket
    public var fd: Int32 { socket.fd }
    private var rng = SystemRandomNumberGenerator()

    /// Connects to 127.0.0.1:`port`. `receiveBufferSize` shrinks the kernel buffer (slow-reader tests).
    public init(port: Int, timeout: Double = 5, receiveBufferSize: Int32? = nil) throws(WebSocketTestClientError) {
        socket = try TestSocket(port: port, timeout: timeout, receiveBufferSize: receiveBufferSize)
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
        try socket.send(bytes)
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
    public func isClosedByPeer() -> Bool { socket.isClosedByPeer() }

    private func readLine() throws(WebSocketTestClientError) -> String { try socket.readLine() }

    private func readExactly(_ count: Int) throws(WebSocketTestClientError) -> [UInt8] { try socket.readExactly(count) }
}
