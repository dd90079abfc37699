import CSys
import Glibc
import Synchronization

/// State shared by all loops of one server: configuration, responder, counters.
final class HTTPServerShared: Sendable {
    let configuration: HTTPServer.Configuration
    let responder: any HTTPResponder
    let openConnections = Atomic<Int>(0)
    let acceptedConnections = Atomic<Int>(0)
    let rejectedConnections = Atomic<Int>(0)
    let requests = Atomic<Int>(0)

    init(configuration: HTTPServer.Configuration, responder: any HTTPResponder) {
        self.configuration = configuration
        self.responder = responder
    }
}

/// The server's presence on one event loop: its listening socket, its
/// connections, the read buffer they share, and the per-second `Date` field.
///
/// Invariant: every stored `var` is touched only on `loop`'s thread; the class
/// is `Sendable` only so that the server can hop to the loop with it.
final class HTTPLoopContext: EventLoopHandler, @unchecked Sendable {
    private static let readBufferSize = 64 * 1024
    private static let acceptBatch = 64
    private static let tooManyConnections: [UInt8] = {
        var out: [UInt8] = []
        HTTPResponseEncoder.appendResponse(.error(.serviceUnavailable, message: "too many connections"), omitBody: false,
                                           connection: .close, common: [], into: &out)
        return out
    }()

    let loop: EventLoop
    let shared: HTTPServerShared
    /// Every connection on this loop reads into this buffer; the parser copies what it keeps.
    let readBuffer: UnsafeMutableRawBufferPointer
    private var listenFD: Int32
    private var channels: [ObjectIdentifier: HTTPChannel] = [:]
    private var webSockets: [ObjectIdentifier: WebSocketChannel] = [:]
    private var isShuttingDown = false
    private let fixedHeaders: [UInt8]
    private var commonHeaders: [UInt8]
    private var commonHeadersSecond: UInt64 = .max

    init(loop: EventLoop, shared: HTTPServerShared, listenFD: Int32) {
        self.loop = loop
        self.shared = shared
        self.listenFD = listenFD
        readBuffer = .allocate(byteCount: Self.readBufferSize, alignment: 16)
        var fixed = HTTPHeaders()
        if let name = shared.configuration.serverName { fixed.add(name: "Server", value: name) }
        if let cors = shared.configuration.cors {
            for (name, value) in cors.responseHeaders { fixed.add(name: name, value: value) }
        }
        var bytes: [UInt8] = []
        fixed.write(into: &bytes)
        fixedHeaders = bytes
        commonHeaders = bytes
    }

    deinit {
        readBuffer.deallocate()
        if listenFD >= 0 { close(listenFD) }
    }

    /// Starts accepting. Loop thread only.
    func start0() {
        do {
            try loop.register0(fd: listenFD, events: EPOLLIN.rawValue, handler: self)
        } catch {
            close(listenFD)
            listenFD = -1
        }
    }

    func handleEvents0(_ events: UInt32) {
        guard listenFD >= 0 else { return }
        for _ in 0..<Self.acceptBatch {
            switch Socket.accept(listenFD) {
            case .wouldBlock:
                return
            case .failed(let code):
                if code == EMFILE || code == ENFILE || code == ENOBUFS || code == ENOMEM { pauseAccepting0() }
                return
            case .accepted(let fd, let peer):
                admit0(fd: fd, peer: peer)
            }
        }
    }

    /// Out of descriptors: a level-triggered listener would spin, so stop polling it briefly.
    private func pauseAccepting0() {
        loop.modify0(fd: listenFD, events: 0)
        loop.scheduleTimer0(at: loop.now0 + .milliseconds(100)) { [weak self] in
            guard let self, self.listenFD >= 0 else { return }
            self.loop.modify0(fd: self.listenFD, events: EPOLLIN.rawValue)
        }
    }

    private func admit0(fd: Int32, peer: SocketAddress?) {
        let open = shared.openConnections.wrappingAdd(1, ordering: .relaxed).newValue
        guard open <= shared.configuration.maxConnections, !isShuttingDown else {
            shared.openConnections.wrappingSubtract(1, ordering: .relaxed)
            shared.rejectedConnections.wrappingAdd(1, ordering: .relaxed)
            Self.tooManyConnections.withUnsafeBytes { _ = send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            close(fd)
            return
        }
        shared.acceptedConnections.wrappingAdd(1, ordering: .relaxed)
        let channel = HTTPChannel(fd: fd, remoteAddress: peer, context: self)
        channels[ObjectIdentifier(channel)] = channel
        do {
            try channel.start0()
        } catch {
            channel.abort0()
        }
    }

    /// A connection closed itself. Loop thread only.
    func channelClosed0(_ channel: HTTPChannel) {
        if channels.removeValue(forKey: ObjectIdentifier(channel)) != nil {
            shared.openConnections.wrappingSubtract(1, ordering: .releasing)
        }
    }

    /// A connection switched to WebSocket: it stays open under its new owner. Loop thread only.
    func channelUpgraded0(_ channel: HTTPChannel, to webSocket: WebSocketChannel) {
        if channels.removeValue(forKey: ObjectIdentifier(channel)) != nil {
            webSockets[ObjectIdentifier(webSocket)] = webSocket
        }
    }

    /// An upgraded connection closed itself. Loop thread only.
    func webSocketClosed0(_ webSocket: WebSocketChannel) {
        if webSockets.removeValue(forKey: ObjectIdentifier(webSocket)) != nil {
            shared.openConnections.wrappingSubtract(1, ordering: .releasing)
        }
    }

    /// `Server`, CORS origin and `Date` fields, the date refreshed once a second. Loop thread only.
    func commonHeaders0() -> [UInt8] {
        guard shared.configuration.sendsDate else { return fixedHeaders }
        let second = loop.now0.nanoseconds / 1_000_000_000
        if second != commonHeadersSecond {
            commonHeadersSecond = second
            var bytes = fixedHeaders
            bytes.append(contentsOf: "Date: ".utf8)
            bytes.append(contentsOf: Self.httpDate())
            bytes.append(contentsOf: "\r\n".utf8)
            commonHeaders = bytes
        }
        return commonHeaders
    }

    /// Stops accepting and lets every connection finish. Loop thread only.
    func beginShutdown0() {
        isShuttingDown = true
        if listenFD >= 0 {
            loop.deregister0(fd: listenFD, closing: true)
            close(listenFD)
            listenFD = -1
        }
        for channel in Array(channels.values) { channel.beginShutdown0() }
        for webSocket in Array(webSockets.values) { webSocket.beginShutdown0() }
    }

    /// Closes every remaining connection at once. Loop thread only.
    func forceClose0() {
        for channel in Array(channels.values) { channel.abort0() }
        for webSocket in Array(webSockets.values) { webSocket.abort0() }
    }

    /// The current time as an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
    static func httpDate() -> [UInt8] {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let text = "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
        return Array(text.utf8)
    }
}
