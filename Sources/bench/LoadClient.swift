import Glibc
import JSON

/// What went wrong talking to the node.
enum LoadError: Error, CustomStringConvertible {
    case badArgument(String)
    case connectFailed(host: String, port: Int, errno: Int32)
    case ioFailed(operation: String, errno: Int32)
    case closedByPeer
    case malformedResponse(String)
    case rpcFailed(method: String, answer: String)
    case timedOut(String)

    var description: String {
        switch self {
        case let .badArgument(s): "bad argument: \(s)"
        case let .connectFailed(host, port, e): "cannot connect to \(host):\(port): \(String(cString: strerror(e)))"
        case let .ioFailed(op, e): "\(op) failed: \(String(cString: strerror(e)))"
        case .closedByPeer: "the node closed the connection"
        case let .malformedResponse(s): "malformed HTTP response: \(s)"
        case let .rpcFailed(method, answer): "\(method) failed: \(answer)"
        case let .timedOut(s): "timed out: \(s)"
        }
    }
}

/// The node's address, from `--url http://HOST:PORT`.
struct NodeAddress {
    var host: String
    var port: Int

    init(url: String) throws {
        var rest = Substring(url)
        if rest.hasPrefix("http://") { rest = rest.dropFirst(7) }
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]), (1...65535).contains(port) else {
            throw LoadError.badArgument("--url \(url): expected http://HOST:PORT")
        }
        let host = String(rest[..<colon])
        self.host = host == "localhost" ? "127.0.0.1" : host
        self.port = port
    }
}

/// Splits a stream of HTTP/1.1 responses (`Content-Length` framed, as the
/// node sends them) into status and body.
struct HTTPResponseScanner {
    struct Response {
        var status: Int
        var body: ArraySlice<UInt8>
    }

    private var buffer: [UInt8] = []
    private var start = 0

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if start > 0 && (start == buffer.count || start >= 1 << 16) {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete response, or nil until more bytes arrive.
    mutating func next() throws -> Response? {
        let end = buffer.count
        guard end - start >= 16 else { return nil }
        var headerEnd = -1
        var i = start
        while i + 3 < end {
            if buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 { headerEnd = i; break }
            i += 1
        }
        guard headerEnd >= 0 else { return nil }
        guard buffer[start..<start + 9].elementsEqual("HTTP/1.1 ".utf8) || buffer[start..<start + 9].elementsEqual("HTTP/1.0 ".utf8),
              let status = Self.decimal(buffer[start + 9..<start + 12])
        else { throw LoadError.malformedResponse(String(decoding: buffer[start..<headerEnd], as: UTF8.self)) }
        var length = 0
        var line = start
        while line < headerEnd {
            var eol = line
            while eol < headerEnd && buffer[eol] != 13 { eol += 1 }
            if Self.hasPrefix(buffer[line..<eol], lowercased: "content-length:") {
                var value = buffer[(line + 15)..<eol]
                while value.first == 32 { value = value.dropFirst() }
                guard let n = Self.decimal(value) else { throw LoadError.malformedResponse("bad Content-Length") }
                length = n
            } else if Self.hasPrefix(buffer[line..<eol], lowercased: "transfer-encoding:") {
                throw LoadError.malformedResponse("chunked responses are not supported")
            }
            line = eol + 2
        }
        let bodyStart = headerEnd + 4
        guard end - bodyStart >= length else { return nil }
        start = bodyStart + length
        return Response(status: status, body: buffer[bodyStart..<start])
    }

    private static func decimal(_ digits: ArraySlice<UInt8>) -> Int? {
        guard !digits.isEmpty, digits.count <= 18 else { return nil }
        var n = 0
        for c in digits {
            guard c >= 48 && c <= 57 else { return nil }
            n = n * 10 + Int(c - 48)
        }
        return n
    }

    private static func hasPrefix(_ line: ArraySlice<UInt8>, lowercased prefix: String) -> Bool {
        guard line.count >= prefix.utf8.count else { return false }
        return zip(line, prefix.utf8).allSatisfy { a, b in (a >= 65 && a <= 90 ? a + 32 : a) == b }
    }
}

/// A keep-alive HTTP/1.1 connection to the node on a blocking socket with
/// `TCP_NODELAY`. Used by one thread at a time, except that in open-loop
/// runs one thread writes while another reads (a socket is full duplex).
final class LoadConnection {
    let fd: Int32
    private let host: String
    private let port: Int
    private var scanner = HTTPResponseScanner()
    private let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 8)

    init(_ address: NodeAddress) throws {
        host = address.host
        port = address.port
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { scratch.deallocate(); throw LoadError.ioFailed(operation: "socket", errno: errno) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(address.port)).bigEndian
        guard inet_pton(AF_INET, address.host, &addr.sin_addr) == 1 else {
            close(fd)
            scratch.deallocate()
            throw LoadError.badArgument("host \(address.host): expected an IPv4 address")
        }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            let e = errno
            close(fd)
            scratch.deallocate()
            throw LoadError.connectFailed(host: address.host, port: address.port, errno: e)
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit {
        close(fd)
        scratch.deallocate()
    }

    /// Writes all of `bytes`.
    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try Self.writeAll(fd: fd, $0) }
    }

    /// Writes all of `bytes` to `fd`, retrying short writes.
    static func writeAll(fd: Int32, _ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let n = send(fd, bytes.baseAddress! + done, bytes.count - done, Int32(MSG_NOSIGNAL))
            if n < 0 {
                if errno == EINTR { continue }
                throw LoadError.ioFailed(operation: "send", errno: errno)
            }
            done += n
        }
    }

    /// Reads what the socket holds (blocking until something arrives).
    func read() throws {
        while true {
            let n = Glibc.read(fd, scratch.baseAddress, scratch.count)
            if n > 0 {
                scanner.append(UnsafeRawBufferPointer(rebasing: scratch[0..<n]))
                return
            }
            if n == 0 { throw LoadError.closedByPeer }
            if errno != EINTR { throw LoadError.ioFailed(operation: "read", errno: errno) }
        }
    }

    /// The next complete response already read, or nil.
    func nextResponse() throws -> HTTPResponseScanner.Response? {
        try scanner.next()
    }

    /// One JSON-RPC call, waiting for its answer; throws on an RPC error.
    /// `params` is the JSON text of the params array.
    func call(_ method: String, _ params: String = "[]") throws -> JSONValue {
        let body = #"{"jsonrpc":"2.0","id":1,"method":"\#(method)","params":\#(params)}"#
        try write(Array(Self.request(host: host, port: port, body: body).utf8))
        while true {
            if let response = try nextResponse() {
                let text = String(decoding: response.body, as: UTF8.self)
                guard response.status == 200, let value = try? JSONParser.parse(Array(response.body)) else {
                    throw LoadError.rpcFailed(method: method, answer: "HTTP \(response.status) \(text)")
                }
                guard let result = value["result"] else { throw LoadError.rpcFailed(method: method, answer: text) }
                return result
            }
            try read()
        }
    }

    /// The body of `GET path`, or nil unless the answer is 200.
    func get(_ path: String) throws -> String? {
        try write(Array("GET \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\n\r\n".utf8))
        while true {
            if let response = try nextResponse() {
                return response.status == 200 ? String(decoding: response.body, as: UTF8.self) : nil
            }
            try read()
        }
    }

    /// A POST / request carrying `body`.
    static func request(host: String, port: Int, body: String) -> String {
        "POST / HTTP/1.1\r\nHost: \(host):\(port)\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body
    }
}

/// Nanoseconds on the monotonic clock (comparable across threads).
func monotonicNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// Sleeps until the monotonic clock reads `deadline` nanoseconds.
func sleepUntil(_ deadline: UInt64) {
    var ts = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
    while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nil) == EINTR {}
}

/// Waits until one of `fds` is readable or `timeoutMillis` passes; true when one is (see each `revents`).
func pollReadable(_ fds: inout [pollfd], timeoutMillis: Int32) throws -> Bool {
    for i in fds.indices { fds[i].revents = 0 }
    let n = poll(&fds, nfds_t(fds.count), timeoutMillis)
    if n < 0 {
        if errno == EINTR { return false }
        throw LoadError.ioFailed(operation: "poll", errno: errno)
    }
    return n > 0
}
