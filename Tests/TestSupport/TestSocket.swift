import Glibc

/// Why a raw test connection failed.
public enum TestSocketError: Error, Equatable {
    case connectFailed(errno: Int32)
    case sendFailed(errno: Int32)
    case timedOut
    case closedByPeer
    case reset
    case malformed(String)
}

/// A blocking TCP connection to 127.0.0.1 for tests that write raw bytes and
/// read the answer back: lines, exact counts, or everything until the peer
/// closes. Written independently of the server's code. The HTTP and the
/// WebSocket test clients are built on it.
public final class TestSocket {
    public let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0

    /// Connects to 127.0.0.1:`port`. `receiveBufferSize` shrinks the kernel buffer (slow-reader tests).
    public init(port: Int, timeout: Double = 5, receiveBufferSize: Int32? = nil) throws(TestSocketError) {
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

    /// Writes all of `bytes`.
    public func send(_ bytes: [UInt8]) throws(TestSocketError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw .sendFailed(errno: errno) }
            offset += n
        }
    }

    /// Reads everything until the peer closes.
    public func readUntilClosed() throws(TestSocketError) -> [UInt8] {
        while try fill() {}
        let rest = Array(buffer[start...])
        start = buffer.count
        return rest
    }

    /// True when the peer closes (EOF or reset) with nothing more sent, within the receive timeout.
    public func isClosedByPeer() -> Bool {
        do {
            if start < buffer.count { return false }
            return try !fill() && start == buffer.count
        } catch {
            return error == .reset
        }
    }

    /// One line without its CRLF (or LF).
    public func readLine() throws(TestSocketError) -> String {
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

    /// Exactly `count` bytes.
    public func readExactly(_ count: Int) throws(TestSocketError) -> [UInt8] {
        while buffer.count - start < count {
            guard try fill() else { throw .closedByPeer }
        }
        let data = Array(buffer[start..<start + count])
        start += count
        return data
    }

    /// Reads more bytes; false at EOF.
    private func fill() throws(TestSocketError) -> Bool {
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
