#if canImport(Glibc)
import Glibc
private let systemConnect = Glibc.connect
private let systemSend = Glibc.send
private let sendFlags = Int32(MSG_NOSIGNAL)
#elseif canImport(Darwin)
import Darwin
private let systemConnect = Darwin.connect
private let systemSend = Darwin.send
private let sendFlags: Int32 = 0
#endif

/// A minimal blocking HTTP/1.1 client for JSON-RPC: one connection per
/// request (`Connection: close`), a timeout on every socket operation, a
/// cap on the response size. Enough for talking to `sequencer l1`; not a
/// general client (no TLS, no redirects, no chunked responses).
/// Immutable, so any thread may use it.
public struct BlockingHTTPClient: Sendable {
    public let host: String
    public let port: Int
    /// Per connect/send/receive.
    public let timeoutSeconds: Int
    public let maxResponseBytes: Int

    public init(host: String, port: Int, timeoutSeconds: Int = 30, maxResponseBytes: Int = 64 << 20) {
        self.host = host
        self.port = port
        self.timeoutSeconds = timeoutSeconds
        self.maxResponseBytes = maxResponseBytes
    }

    /// POSTs `body` to `path` and returns the status and the response body.
    public func post(path: String = "/", body: [UInt8], contentType: String = "application/json")
        throws(L1ClientError) -> (status: Int, body: [UInt8]) {
        let fd = try connect()
        defer { close(fd) }
        let head = "POST \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nContent-Type: \(contentType)\r\n"
            + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        try send(fd, Array(head.utf8) + body)
        return try parse(try receiveAll(fd))
    }

    private func connect() throws(L1ClientError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            throw .transport("cannot resolve \(host)")
        }
        defer { freeaddrinfo(list) }
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        var lastErrno: Int32 = 0
        while let ai = candidate {
            let fd = socket(ai.pointee.ai_family, ai.pointee.ai_socktype, ai.pointee.ai_protocol)
            if fd >= 0 {
                var tv = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                if systemConnect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0 { return fd }
                lastErrno = errno
                close(fd)
            }
            candidate = ai.pointee.ai_next
        }
        throw .transport("cannot connect to \(host):\(port) (errno \(lastErrno))")
    }

    private func send(_ fd: Int32, _ bytes: [UInt8]) throws(L1ClientError) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { systemSend(fd, $0.baseAddress! + sent, bytes.count - sent, sendFlags) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .transport("send failed (errno \(errno))")
            }
            sent += n
        }
    }

    private func receiveAll(_ fd: Int32) throws(L1ClientError) -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .transport(errno == EAGAIN ? "timed out after \(timeoutSeconds)s" : "receive failed (errno \(errno))")
            }
            if n == 0 { return out }
            out.append(contentsOf: chunk[0..<n])
            if out.count > maxResponseBytes { throw .invalidResponse("response larger than \(maxResponseBytes) bytes") }
        }
    }

    private func parse(_ response: [UInt8]) throws(L1ClientError) -> (status: Int, body: [UInt8]) {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = (0..<max(0, response.count - 3)).first(where: { Array(response[$0..<$0 + 4]) == separator }) else {
            throw .invalidResponse("no HTTP header in \(response.count) bytes")
        }
        let head = String(decoding: response[0..<end], as: UTF8.self)
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else {
            throw .invalidResponse("bad status line")
        }
        var body = Array(response[(end + 4)...])
        for line in lines.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let name = parts[0].lowercased()
            let value = parts[1].trimmingCharacters(in: " \t")
            if name == "transfer-encoding" && value.lowercased() != "identity" {
                throw .invalidResponse("unsupported transfer encoding \(value)")
            }
            if name == "content-length" {
                guard let length = Int(value), length <= body.count else { throw .invalidResponse("truncated body") }
                body = Array(body[0..<length])
            }
        }
        return (status, body)
    }
}

private extension Substring {
    func trimmingCharacters(in set: String) -> String {
        String(drop(while: { set.contains($0) }).reversed().drop(while: { set.contains($0) }).reversed())
    }
}
