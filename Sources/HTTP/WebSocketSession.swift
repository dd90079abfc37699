/// The state machine of one upgraded connection, with no I/O: it parses
/// frames, reassembles fragmented messages, answers pings, runs the close
/// handshake and keeps the bytes owed to the peer. ``WebSocketChannel``
/// performs what it decides; tests drive it with a fake clock.
///
/// Invariants:
/// - Once `phase` leaves `.open` no message is delivered and nothing but the
///   close frame already queued is sent.
/// - `closeCode` is set exactly when `phase` leaves `.open`.
/// - Output owed never exceeds `maxOutputBytes` plus one frame: a send that
///   crosses the limit drops the connection.
struct WebSocketSession {
    struct Limits {
        var maxFrameBytes: Int
        var maxMessageBytes: Int
        var maxOutputBytes: Int
        var pingInterval: UInt64?
        var closeTimeout: UInt64
        var writeTimeout: UInt64
        var lingerTimeout: UInt64

        init(_ configuration: WebSocketConfiguration) {
            maxFrameBytes = configuration.maxFrameBytes
            maxMessageBytes = configuration.maxMessageBytes
            maxOutputBytes = configuration.maxOutputBytes
            pingInterval = configuration.pingInterval?.clampedNanoseconds
            closeTimeout = configuration.closeTimeout.clampedNanoseconds
            writeTimeout = configuration.writeTimeout.clampedNanoseconds
            lingerTimeout = configuration.lingerTimeout.clampedNanoseconds
        }
    }

    enum Phase: Equatable {
        case open
        /// We sent a close frame and wait for the peer's.
        case closeSent(until: Deadline)
        /// The last frame is queued: flush it, then shut the write side.
        case closingAfterWrites
        /// Write side shut; input is drained until EOF or the deadline.
        case lingering(until: Deadline)
        case closed
    }

    enum SocketAction: Equatable {
        case none
        case shutdownWrite
        case close
    }

    private static let maxRetainedOutputCapacity = 64 * 1024

    let limits: Limits
    private(set) var phase: Phase = .open
    /// Why the connection ended, once it has: the peer's code, ours, or 1006.
    private(set) var closeCode: WebSocketCloseCode?
    private(set) var closeReason = ""
    private var parser: WebSocketFrameParser
    private var fragments: [UInt8] = []
    private var fragmentOpcode: WebSocketOpcode?
    private var utf8 = UTF8Validator()
    private(set) var outbound: [UInt8] = []
    private(set) var outboundWritten = 0
    private var inputEnded = false
    private(set) var lastInput: Deadline
    private(set) var pingSentAt: Deadline?
    private(set) var writeStalledSince: Deadline?

    init(limits: Limits, now: Deadline) {
        self.limits = limits
        parser = WebSocketFrameParser(maxFrameBytes: limits.maxFrameBytes)
        lastInput = now
    }

    // MARK: Input

    /// Consumes input up to the next complete message, answering control
    /// frames on the way. Returns the bytes used and the message, if one completed.
    mutating func receive(_ input: UnsafeRawBufferPointer, now: Deadline) -> (consumed: Int, message: WebSocketMessage?) {
        if !input.isEmpty {
            lastInput = now
            pingSentAt = nil
        }
        var offset = 0
        while offset < input.count {
            switch phase {
            case .open, .closeSent:
                break
            case .closingAfterWrites, .lingering, .closed:
                return (input.count, nil)
            }
            let (used, event) = parser.parse(UnsafeRawBufferPointer(rebasing: input[offset...]))
            offset += used
            switch event {
            case nil:
                return (offset, nil)
            case .violation(let violation)?:
                fail(violation)
            case .frame(let frame)?:
                if let message = handle(frame) { return (offset, message) }
            }
        }
        return (offset, nil)
    }

    private mutating func handle(_ frame: WebSocketFrame) -> WebSocketMessage? {
        switch frame.opcode {
        case .close:
            receivedClose(frame.payload)
            return nil
        case .ping:
            guard phase == .open else { return nil }
            queue(opcode: .pong, payload: frame.payload)
            return nil
        case .pong:
            return nil
        case .text, .binary, .continuation:
            guard phase == .open else { return nil }
            switch assemble(frame) {
            case .success(let message): return message
            case .failure(let violation):
                fail(violation)
                return nil
            }
        }
    }

    private mutating func assemble(_ frame: WebSocketFrame) -> Result<WebSocketMessage?, WebSocketViolation> {
        let opcode: WebSocketOpcode
        if frame.opcode == .continuation {
            guard let started = fragmentOpcode else { return .failure(.continuationWithoutStart) }
            opcode = started
        } else {
            guard fragmentOpcode == nil else { return .failure(.dataFrameInsideFragmentedMessage) }
            opcode = frame.opcode
            utf8 = UTF8Validator()
        }
        let total = fragments.count + frame.payload.count
        guard total <= limits.maxMessageBytes else { return .failure(.messageTooLarge(bytes: total, limit: limits.maxMessageBytes)) }
        if opcode == .text {
            guard frame.payload.withUnsafeBytes({ utf8.validate($0) }) else { return .failure(.invalidUTF8) }
            if frame.fin && !utf8.isComplete { return .failure(.invalidUTF8) }
        }
        guard frame.fin else {
            if fragmentOpcode == nil {
                fragmentOpcode = opcode
                fragments = frame.payload
            } else {
                fragments.append(contentsOf: frame.payload)
            }
            return .success(nil)
        }
        var payload = frame.payload
        if fragmentOpcode != nil {
            fragments.append(contentsOf: payload)
            payload = fragments
            fragments = []
            fragmentOpcode = nil
        }
        return .success(opcode == .text ? .text(String(decoding: payload, as: UTF8.self)) : .binary(payload))
    }

    private mutating func receivedClose(_ payload: [UInt8]) {
        var code = WebSocketCloseCode.noStatusReceived
        var reason = ""
        if payload.count == 1 { return fail(.closePayloadTooShort) }
        if payload.count >= 2 {
            code = WebSocketCloseCode(rawValue: UInt16(payload[0]) << 8 | UInt16(payload[1]))
            guard code.isSendable else { return fail(.invalidCloseCode(code.rawValue)) }
            let text = payload[2...]
            guard text.withUnsafeBytes({ UTF8Validator.isValid($0) }) else { return fail(.invalidUTF8) }
            reason = String(decoding: text, as: UTF8.self)
        }
        switch phase {
        case .open:
            let echo = code == .noStatusReceived ? [] : [payload[0], payload[1]]
            WebSocketFrameEncoder.append(opcode: .close, payload: echo, into: &outbound)
            end(code, reason)
            phase = .closingAfterWrites
        case .closeSent:
            phase = .closingAfterWrites
        case .closingAfterWrites, .lingering, .closed:
            break
        }
    }

    /// Fails the connection: a close frame with the violation's code, then the TCP close.
    private mutating func fail(_ violation: WebSocketViolation) {
        switch phase {
        case .open:
            WebSocketFrameEncoder.append(opcode: .close,
                                         payload: WebSocketFrameEncoder.closePayload(code: violation.closeCode, reason: violation.reason),
                                         into: &outbound)
            end(violation.closeCode, violation.reason)
            phase = .closingAfterWrites
        case .closeSent:
            phase = .closingAfterWrites
        case .closingAfterWrites, .lingering, .closed:
            break
        }
    }

    /// The peer closed its side (read returned 0).
    mutating func inputDidEnd() {
        inputEnded = true
        switch phase {
        case .open:
            end(.abnormalClosure, "connection closed without a close frame")
            phase = .closed
        case .closeSent, .lingering:
            phase = .closed
        case .closingAfterWrites, .closed:
            break
        }
    }

    /// The socket failed, or the peer is dropped (too slow, unresponsive).
    mutating func abort(_ code: WebSocketCloseCode = .abnormalClosure, reason: String = "connection dropped") {
        end(code, reason)
        phase = .closed
    }

    // MARK: Output

    /// Queues an encoded frame. False when the connection no longer sends
    /// (closing) or when the peer now owes more than `maxOutputBytes`, in
    /// which case the connection has been dropped.
    mutating func send(frame: [UInt8]) -> Bool {
        guard phase == .open else { return false }
        outbound.append(contentsOf: frame)
        return checkOutputLimit()
    }

    /// Starts the close handshake with `code`; no-op unless open.
    mutating func close(code: WebSocketCloseCode, reason: String, now: Deadline) {
        guard phase == .open else { return }
        WebSocketFrameEncoder.append(opcode: .close, payload: WebSocketFrameEncoder.closePayload(code: code, reason: reason),
                                     into: &outbound)
        end(code, reason)
        phase = .closeSent(until: now.adding(nanoseconds: limits.closeTimeout))
    }

    private mutating func queue(opcode: WebSocketOpcode, payload: [UInt8]) {
        WebSocketFrameEncoder.append(opcode: opcode, payload: payload, into: &outbound)
        _ = checkOutputLimit()
    }

    private mutating func checkOutputLimit() -> Bool {
        guard pendingOutputBytes <= limits.maxOutputBytes else {
            abort(.policyViolation, reason: "peer does not read: more than \(limits.maxOutputBytes) bytes owed")
            return false
        }
        return true
    }

    private mutating func end(_ code: WebSocketCloseCode, _ reason: String) {
        guard closeCode == nil else { return }
        closeCode = code
        closeReason = reason
    }

    /// `count` bytes of `outbound` reached the kernel.
    mutating func didWrite(_ count: Int, now: Deadline) {
        outboundWritten += count
        if outboundWritten == outbound.count {
            if outbound.capacity > Self.maxRetainedOutputCapacity {
                outbound = []
            } else {
                outbound.removeAll(keepingCapacity: true)
            }
            outboundWritten = 0
            writeStalledSince = nil
        } else {
            writeStalledSince = now
        }
    }

    /// The socket's send buffer is full.
    mutating func writeWouldBlock(now: Deadline) {
        if writeStalledSince == nil { writeStalledSince = now }
    }

    /// Called once nothing more can be written now: whether to shut the write side or close.
    mutating func socketAction(now: Deadline) -> SocketAction {
        switch phase {
        case .closed:
            return .close
        case .closingAfterWrites where !hasPendingOutput:
            if inputEnded {
                phase = .closed
                return .close
            }
            phase = .lingering(until: now.adding(nanoseconds: limits.lingerTimeout))
            return .shutdownWrite
        default:
            return .none
        }
    }

    // MARK: Timers

    /// Handles expired deadlines: close and linger timeouts, stalled writes,
    /// the keep-alive ping and an unanswered one.
    mutating func timerFired(now: Deadline) {
        if let stalled = writeStalledSince, now >= stalled.adding(nanoseconds: limits.writeTimeout), phase != .closed {
            abort(.policyViolation, reason: "peer does not read: no output progress")
            return
        }
        switch phase {
        case .closeSent(let until), .lingering(let until):
            if now >= until { phase = .closed }
        case .open:
            guard let interval = limits.pingInterval else { return }
            if let sent = pingSentAt {
                if now >= sent.adding(nanoseconds: interval) { abort(.goingAway, reason: "no answer to ping") }
            } else if now >= lastInput.adding(nanoseconds: interval) {
                pingSentAt = now
                queue(opcode: .ping, payload: [])
            }
        case .closingAfterWrites, .closed:
            break
        }
    }

    /// When ``timerFired(now:)`` should next run, if ever.
    var deadline: Deadline? {
        var candidates: [Deadline] = []
        if let stalled = writeStalledSince { candidates.append(stalled.adding(nanoseconds: limits.writeTimeout)) }
        switch phase {
        case .closeSent(let until), .lingering(let until):
            candidates.append(until)
        case .open:
            if let interval = limits.pingInterval {
                candidates.append((pingSentAt ?? lastInput).adding(nanoseconds: interval))
            }
        case .closingAfterWrites, .closed:
            break
        }
        return candidates.min()
    }

    // MARK: Queries

    var hasPendingOutput: Bool { outboundWritten < outbound.count }

    /// Bytes owed to the peer and not yet handed to the kernel.
    var pendingOutputBytes: Int { outbound.count - outboundWritten }

    /// Whether the channel should poll for input.
    var wantsInput: Bool { !inputEnded && phase != .closed }

    var isOpen: Bool { phase == .open }
}
