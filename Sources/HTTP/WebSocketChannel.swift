import CSys
import Glibc
import Synchronization

/// One upgraded socket: performs what its ``WebSocketSession`` decides
/// (read, deliver messages, write, poll interest, timers, close).
///
/// Invariant: every stored `var` is touched only on `loop`'s thread. The
/// class is `Sendable` so that ``WebSocketConnection`` may hop to the loop
/// with it; the atomics are the exception and may be read anywhere.
final class WebSocketChannel: EventLoopHandler, @unchecked Sendable {
    let fd: Int32
    let loop: EventLoop
    let context: HTTPLoopContext
    let remoteAddress: SocketAddress?
    let maxOutputBytes: Int
    /// Set once the connection stops being open; read by senders on any thread.
    let closedFlag = Atomic<Bool>(false)
    /// Output owed to the peer and not yet in the kernel, refreshed after every step; read by senders.
    let bufferedOutput = Atomic<Int>(0)

    private let handler: any WebSocketHandler
    private var session: WebSocketSession
    private var connection: WebSocketConnection?
    private var registeredEvents: UInt32 = 0
    private var scheduledTimer: Deadline?
    private var isClosed = false
    private var closeReported = false
    private var inReadHandler = false

    init(fd: Int32, remoteAddress: SocketAddress?, context: HTTPLoopContext, configuration: WebSocketConfiguration,
         handler: any WebSocketHandler) {
        self.fd = fd
        self.loop = context.loop
        self.context = context
        self.remoteAddress = remoteAddress
        self.handler = handler
        maxOutputBytes = configuration.maxOutputBytes
        session = WebSocketSession(limits: WebSocketSession.Limits(configuration), now: context.loop.now0)
    }

    /// Takes over the socket: `output` (the 101 response) goes first, `input`
    /// (bytes that followed the handshake) is parsed at once. Loop thread only.
    func start0(connection: WebSocketConnection, output: [UInt8], input: [UInt8]) {
        self.connection = connection
        _ = session.send(frame: output)
        do {
            registeredEvents = EPOLLIN.rawValue
            try loop.register0(fd: fd, events: registeredEvents, handler: self)
        } catch {
            session.abort()
            close0()
            return
        }
        if !input.isEmpty { input.withUnsafeBytes { process0($0) } }
        sync0()
    }

    func handleEvents0(_ events: UInt32) {
        if events & (EPOLLIN.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 { readable0() }
        if !isClosed && events & EPOLLOUT.rawValue != 0 { flush0() }
        sync0()
    }

    // MARK: Commands (loop thread)

    func write0(_ frame: [UInt8]) -> Bool {
        guard !isClosed else { return false }
        let accepted = session.send(frame: frame)
        if !inReadHandler { sync0() }
        return accepted
    }

    func close0(code: WebSocketCloseCode, reason: String) {
        guard !isClosed else { return }
        session.close(code: code, reason: reason, now: loop.now0)
        if !inReadHandler { sync0() }
    }

    /// The peer owes too much: drop it without a handshake.
    func drop0() {
        guard !isClosed else { return }
        session.abort(.policyViolation, reason: "peer does not read: more than \(maxOutputBytes) bytes owed")
        if !inReadHandler { sync0() }
    }

    /// Server shutdown: say so with 1001 and let the handshake finish.
    func beginShutdown0() {
        close0(code: .goingAway, reason: "server shutting down")
    }

    func abort0() {
        session.abort()
        close0()
    }

    // MARK: I/O

    private func readable0() {
        let buffer = context.readBuffer
        let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
        if count > 0 {
            process0(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        } else if count == 0 {
            session.inputDidEnd()
        } else if errno != EAGAIN && errno != EINTR {
            session.abort()
        }
    }

    private func process0(_ input: UnsafeRawBufferPointer) {
        inReadHandler = true
        defer { inReadHandler = false }
        var offset = 0
        while offset < input.count && !isClosed {
            let (used, message) = session.receive(UnsafeRawBufferPointer(rebasing: input[offset...]), now: loop.now0)
            offset += used
            if let message, let connection { handler.webSocket(connection, didReceive: message) }
            if used == 0 && message == nil { break }
        }
    }

    private func flush0() {
        while session.hasPendingOutput {
            switch Socket.send(fd, session.outbound, from: session.outboundWritten) {
            case let .wrote(n): session.didWrite(n, now: loop.now0)
            case .wouldBlock: return session.writeWouldBlock(now: loop.now0)
            case .failed: return session.abort()
            }
        }
    }

    /// Brings the socket in line with the session: report a close, flush,
    /// shut down or close, poll interest, and the timer.
    private func sync0() {
        guard !isClosed else { return }
        reportCloseIfNeeded0()
        if session.hasPendingOutput { flush0() }
        switch session.socketAction(now: loop.now0) {
        case .close:
            close0()
            return
        case .shutdownWrite:
            shutdown(fd, Int32(SHUT_WR))
        case .none:
            break
        }
        reportCloseIfNeeded0()
        bufferedOutput.store(session.pendingOutputBytes, ordering: .relaxed)
        var wanted: UInt32 = 0
        if session.wantsInput { wanted |= EPOLLIN.rawValue }
        if session.hasPendingOutput { wanted |= EPOLLOUT.rawValue }
        if wanted != registeredEvents {
            registeredEvents = wanted
            loop.modify0(fd: fd, events: wanted)
        }
        if let deadline = session.deadline, deadline < (scheduledTimer ?? .distantFuture) {
            scheduledTimer = deadline
            loop.scheduleTimer0(at: deadline) { [weak self] in self?.timerFired0(deadline) }
        }
    }

    private func timerFired0(_ deadline: Deadline) {
        guard !isClosed else { return }
        if scheduledTimer == deadline { scheduledTimer = nil }
        session.timerFired(now: loop.now0)
        sync0()
    }

    private func reportCloseIfNeeded0() {
        guard !closeReported, let code = session.closeCode else { return }
        closeReported = true
        closedFlag.store(true, ordering: .releasing)
        if let connection { handler.webSocketDidClose(connection, code: code, reason: session.closeReason) }
    }

    private func close0() {
        guard !isClosed else { return }
        if session.closeCode == nil { session.abort() }
        reportCloseIfNeeded0()
        isClosed = true
        closedFlag.store(true, ordering: .releasing)
        loop.deregister0(fd: fd, closing: true)
        Glibc.close(fd)
        connection = nil
        context.webSocketClosed0(self)
    }
}
