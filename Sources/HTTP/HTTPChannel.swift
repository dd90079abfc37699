import CSys
import Glibc
import Synchronization

/// One accepted socket: performs what its ``HTTPConnection`` state machine
/// decides (read, dispatch, write, poll interest, timers, close).
///
/// Invariant: every stored `var` is touched only on `loop`'s thread. The class
/// is `Sendable` only so closures hopping to that loop (responses and stream
/// writes from other threads) may capture it; the atomics are the exception
/// and may be read anywhere.
final class HTTPChannel: EventLoopHandler, @unchecked Sendable {
    let fd: Int32
    let loop: EventLoop
    let context: HTTPLoopContext
    let remoteAddress: SocketAddress?
    /// Set once when the socket is closed; read by writers on any thread.
    let closedFlag = Atomic<Bool>(false)
    /// Output owed to the client and not yet in the kernel, refreshed after every flush; read by streams.
    let bufferedOutput = Atomic<Int>(0)

    private var machine: HTTPConnection
    private var pendingInput: [UInt8] = []
    private var registeredEvents: UInt32 = 0
    private var scheduledTimer: Deadline?
    private var streams: [UInt64: HTTPStream] = [:]
    private var isClosed = false
    private var inReadHandler = false

    init(fd: Int32, remoteAddress: SocketAddress?, context: HTTPLoopContext) {
        self.fd = fd
        self.loop = context.loop
        self.context = context
        self.remoteAddress = remoteAddress
        let configuration = context.shared.configuration
        machine = HTTPConnection(parserLimits: configuration.parserLimits, limits: configuration.connectionLimits,
                                 cors: configuration.cors, now: context.loop.now0)
    }

    /// Registers for input and arms the first-request timer. Loop thread only.
    func start0() throws(EventLoopError) {
        registeredEvents = EPOLLIN.rawValue
        try loop.register0(fd: fd, events: registeredEvents, handler: self)
        sync0()
    }

    func handleEvents0(_ events: UInt32) {
        if events & (EPOLLIN.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 { readable0() }
        if !isClosed && events & EPOLLOUT.rawValue != 0 { flush0() }
        sync0()
    }

    // MARK: Responses and streams (loop thread)

    func respond0(sequence: UInt64, response: HTTPResponse) {
        guard !isClosed else { return }
        machine.commonHeaders = context.commonHeaders0()
        machine.respond(sequence: sequence, response: response, now: loop.now0)
        if !inReadHandler { sync0() }
    }

    func startStream0(_ stream: HTTPStream, status: HTTPStatus, headers: HTTPHeaders) -> Bool {
        guard !isClosed else { return false }
        machine.commonHeaders = context.commonHeaders0()
        guard machine.startStream(sequence: stream.sequence, status: status, headers: headers) else { return false }
        streams[stream.sequence] = stream
        if !inReadHandler { sync0() }
        return true
    }

    /// False (and the connection is dropped) when the client has fallen too far behind.
    func streamWrite0(sequence: UInt64, bytes: [UInt8]) -> Bool {
        guard !isClosed else { return false }
        guard machine.streamWrite(sequence: sequence, bytes: bytes) else {
            if streams[sequence] != nil { abort0() }
            return false
        }
        if !inReadHandler { sync0() }
        return true
    }

    func streamEnd0(sequence: UInt64) {
        guard !isClosed, let stream = streams.removeValue(forKey: sequence) else { return }
        machine.streamEnd(sequence: sequence, now: loop.now0)
        stream.finished()
        if !inReadHandler { sync0() }
    }

    /// Server shutdown: end streams, stop reading new requests, close when done.
    func beginShutdown0() {
        guard !isClosed else { return }
        for sequence in machine.openStreams { streamEnd0(sequence: sequence) }
        machine.beginShutdown()
        sync0()
    }

    func abort0() {
        machine.abort()
        close0()
    }

    /// Answers upgrade request `sequence` with 101 and hands the socket, the
    /// bytes still owed and any input read past the request to `webSocket`.
    /// False (nothing changed) when the upgrade cannot happen now.
    func upgrade0(sequence: UInt64, accept: String, to webSocket: WebSocketChannel, connection: WebSocketConnection) -> Bool {
        guard !isClosed else { return false }
        machine.commonHeaders = context.commonHeaders0()
        let headers: HTTPHeaders = ["Upgrade": "websocket", "Sec-WebSocket-Accept": accept]
        guard let owed = machine.upgrade(sequence: sequence, headers: headers) else { return false }
        isClosed = true
        closedFlag.store(true, ordering: .releasing)
        loop.deregister0(fd: fd, closing: false)
        let input = pendingInput
        pendingInput = []
        let open = streams.values
        streams = [:]
        for stream in open { stream.finished() }
        context.channelUpgraded0(self, to: webSocket)
        webSocket.start0(connection: connection, output: owed, input: input)
        return true
    }

    // MARK: I/O

    private func readable0() {
        let buffer = context.readBuffer
        let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
        if count > 0 {
            guard machine.phase == .open else { return }
            if pendingInput.isEmpty {
                process0(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            } else {
                pendingInput.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            }
        } else if count == 0 {
            machine.inputDidEnd()
        } else if errno != EAGAIN && errno != EINTR {
            machine.abort()
        }
    }

    private func process0(_ input: UnsafeRawBufferPointer) {
        inReadHandler = true
        defer { inReadHandler = false }
        machine.commonHeaders = context.commonHeaders0()
        let responder = context.shared.responder
        var offset = 0
        while !isClosed {
            let (used, action) = machine.receive(UnsafeRawBufferPointer(rebasing: input[offset...]), now: loop.now0)
            offset += used
            switch action {
            case .needMoreData, .discard:
                return
            case .pause:
                if offset < input.count { pendingInput.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[offset...])) }
                return
            case .dispatch(var request, let sequence):
                request.remoteAddress = remoteAddress
                context.shared.requests.wrappingAdd(1, ordering: .relaxed)
                if machine.upgradePending == sequence {
                    // The responder may switch protocols at once: what follows the request must not be parsed as HTTP.
                    if offset < input.count { pendingInput.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[offset...])) }
                    responder.respond(to: request, writer: HTTPResponseWriter(channel: self, sequence: sequence))
                    return
                }
                responder.respond(to: request, writer: HTTPResponseWriter(channel: self, sequence: sequence))
            }
        }
    }

    private func flush0() {
        while machine.hasPendingOutput {
            switch Socket.send(fd, machine.outbound, from: machine.outboundWritten) {
            case let .wrote(n): machine.didWrite(n, now: loop.now0)
            case .wouldBlock: return machine.writeWouldBlock(now: loop.now0)
            case .failed: return machine.abort()
            }
        }
    }

    /// Brings the socket in line with the state machine: flush, resume paused
    /// input, shut down or close, poll interest, and the timer.
    private func sync0() {
        while !isClosed {
            if machine.hasPendingOutput { flush0() }
            switch machine.socketAction(now: loop.now0) {
            case .close:
                close0()
                return
            case .shutdownWrite:
                shutdown(fd, Int32(SHUT_WR))
            case .none:
                break
            }
            guard !pendingInput.isEmpty else { break }
            guard machine.phase == .open else {
                pendingInput = []
                break
            }
            guard machine.canAcceptRequest else { break }
            let input = pendingInput
            pendingInput = []
            input.withUnsafeBytes { process0($0) }
        }
        guard !isClosed else { return }
        bufferedOutput.store(machine.pendingOutputBytes, ordering: .relaxed)
        var wanted: UInt32 = 0
        if machine.wantsInput && pendingInput.isEmpty { wanted |= EPOLLIN.rawValue }
        if machine.hasPendingOutput { wanted |= EPOLLOUT.rawValue }
        if wanted != registeredEvents {
            registeredEvents = wanted
            loop.modify0(fd: fd, events: wanted)
        }
        if let deadline = machine.deadline, deadline < (scheduledTimer ?? .distantFuture) {
            scheduledTimer = deadline
            loop.scheduleTimer0(at: deadline) { [weak self] in self?.timerFired0(deadline) }
        }
    }

    private func timerFired0(_ deadline: Deadline) {
        guard !isClosed else { return }
        if scheduledTimer == deadline { scheduledTimer = nil }
        machine.commonHeaders = context.commonHeaders0()
        machine.timerFired(now: loop.now0)
        sync0()
    }

    private func close0() {
        guard !isClosed else { return }
        isClosed = true
        closedFlag.store(true, ordering: .releasing)
        machine.abort()
        loop.deregister0(fd: fd, closing: true)
        Glibc.close(fd)
        let open = streams.values
        streams = [:]
        for stream in open { stream.finished() }
        context.channelClosed0(self)
    }
}
