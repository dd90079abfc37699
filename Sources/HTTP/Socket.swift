import Glibc

/// Thin wrappers over the socket system calls the server uses. Each returns
/// the descriptor or throws a typed error carrying `errno`.
enum Socket {
    /// A non-blocking, close-on-exec TCP socket bound to `address` and listening.
    /// With `reusePort`, several sockets (one per event loop) share the port and
    /// the kernel spreads incoming connections among them.
    static func listen(on address: SocketAddress, backlog: Int32, reusePort: Bool) throws(HTTPServerError) -> Int32 {
        let flags = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let family: Int32? = address.withSockAddr { _, _, family in family }
        guard let family else { throw .invalidAddress(address.description) }
        let fd = socket(family, flags, 0)
        guard fd >= 0 else { throw .socketFailed(errno: errno) }
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        if reusePort {
            setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, socklen_t(MemoryLayout<Int32>.size))
        }
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        let bound = address.withSockAddr { pointer, length, _ in bind(fd, pointer, length) == 0 ? 0 : errno } ?? EINVAL
        guard bound == 0 else {
            close(fd)
            throw .bindFailed(address: address.description, errno: bound)
        }
        guard Glibc.listen(fd, backlog) == 0 else {
            let e = errno
            close(fd)
            throw .listenFailed(errno: e)
        }
        return fd
    }

    /// The local address a socket is bound to (for port 0: the port the kernel chose).
    static func localAddress(_ fd: Int32) -> SocketAddress? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return rc == 0 ? SocketAddress(storage: storage) : nil
    }

    enum SendResult {
        case wrote(Int)
        case wouldBlock
        case failed
    }

    /// One non-blocking send of `bytes[offset...]` (retried on EINTR, never SIGPIPE).
    static func send(_ fd: Int32, _ bytes: [UInt8], from offset: Int) -> SendResult {
        while true {
            let written = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if written > 0 { return .wrote(written) }
            if written < 0 && errno == EINTR { continue }
            return written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) ? .wouldBlock : .failed
        }
    }

    enum AcceptResult {
        case accepted(fd: Int32, peer: SocketAddress?)
        case wouldBlock
        case failed(errno: Int32)
    }

    /// Accepts one connection and makes it non-blocking with `TCP_NODELAY`.
    static func accept(_ listener: Int32) -> AcceptResult {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let fd = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.accept(listener, $0, &length) }
        }
        guard fd >= 0 else {
            let e = errno
            return e == EAGAIN || e == EWOULDBLOCK || e == EINTR || e == ECONNABORTED ? .wouldBlock : .failed(errno: e)
        }
        _ = fcntl(fd, F_SETFL, O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        var on: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        return .accepted(fd: fd, peer: SocketAddress(storage: storage))
    }
}
