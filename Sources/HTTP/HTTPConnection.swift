/// The lifecycle of one HTTP/1.1 connection as a value with no I/O: bytes and
/// clock ticks go in, requests to dispatch and bytes to send come out.
///
/// The socket wrapper (`HTTPChannel`) feeds it input, writes `outbound`,
/// reports progress, and reconciles the epoll interest, timer and close with
/// the queries at the bottom. Tests drive it with a fake clock and no sockets.
///
/// Invariants:
/// - `slots[i]` belongs to request `headSequence + i`; responses leave in that order
///   however the responder completes them.
/// - Bytes for the head slot go straight to `outbound`; later slots keep theirs in
///   `Slot.buffered` until they become the head.
/// - Once `phase` leaves `.open`, no further request is parsed.
struct HTTPConnection {
    /// Limits in nanoseconds and bytes, copied from the server configuration.
    struct Limits {
        var maxPipelinedRequests = 16
        var maxOutputBytes = 1 << 20
        var headerTimeout: UInt64 = 10_000_000_000
        var bodyTimeout: UInt64 = 30_000_000_000
        var idleTimeout: UInt64 = 60_000_000_000
        var writeTimeout: UInt64 = 30_000_000_000
        var lingerTimeout: UInt64 = 2_000_000_000
    }

    enum Phase: Equatable {
        /// Reading requests.
        case open
        /// No more requests will be read; owed responses are still being written.
        case closingAfterWrites
        /// Everything is written and the write side shut; input is discarded until EOF.
        case lingering(until: Deadline)
        case closed
    }

    /// What the wrapper does after ``receive(_:now:)``.
    enum InboundAction {
        /// All input was consumed; read more.
        case needMoreData
        /// Hand this request to the responder.
        case dispatch(HTTPRequest, sequence: UInt64)
        /// Too much is owed: stop reading and keep the unconsumed bytes for later.
        case pause
        /// The connection reads no more requests: drop the bytes.
        case discard
    }

    /// What the wrapper does once everything it could write is written.
    enum SocketAction: Equatable {
        case none
        case shutdownWrite
        case close
    }

    private enum SlotState {
        case waiting
        case streaming(chunked: Bool)
        case done
    }

    private struct Slot {
        var closeAfter: Bool
        var http10: Bool
        var omitBody: Bool
        var state: SlotState
        var buffered: [UInt8] = []
    }

    private static let maxRetainedOutputCapacity = 64 * 1024

    let limits: Limits
    /// Pre-serialised fields every response carries (`Server`, `Date`, CORS origin).
    var commonHeaders: [UInt8] = []
    let cors: CORSConfiguration?

    private(set) var parser: HTTPRequestParser
    var phase: Phase = .open
    private(set) var outbound: [UInt8] = []
    private(set) var outboundWritten = 0
    private var slots: [Slot] = []
    private var headSequence: UInt64 = 0
    private var nextSequence: UInt64 = 0
    private var bufferedInSlots = 0
    private var continuePending = false
    private var inputEnded = false
    private var shuttingDown = false
    /// A WebSocket upgrade request awaiting its answer: nothing after it is parsed meanwhile.
    private(set) var upgradePending: UInt64?
    /// When reading last paused because too much was owed; input timeouts restart from it.
    private(set) var pausedAt: Deadline?
    private(set) var requestsRead = 0
    private(set) var lastActivity: Deadline
    private(set) var headStartedAt: Deadline?
    private(set) var bodyStartedAt: Deadline?
    private(set) var writeStalledSince: Deadline?

    init(parserLimits: HTTPRequestParser.Limits, limits: Limits, cors: CORSConfiguration? = nil, now: Deadline) {
        parser = HTTPRequestParser(limits: parserLimits)
        self.limits = limits
        self.cors = cors
        lastActivity = now
    }

    // MARK: Input

    /// Parses `input` up to the next request to dispatch, or until it runs out
    /// or the connection must stop reading. Returns the bytes consumed.
    mutating func receive(_ input: UnsafeRawBufferPointer, now: Deadline) -> (consumed: Int, action: InboundAction) {
        var offset = 0
        while true {
            guard phase == .open else { return (input.count, .discard) }
            guard canAcceptRequest else {
                pausedAt = now
                return (offset, .pause)
            }
            guard offset < input.count else { return (offset, .needMoreData) }
            if parser.isIdle { headStartedAt = now }
            let (used, event) = parser.parse(UnsafeRawBufferPointer(rebasing: input[offset...]))
            offset += used
            switch event {
            case nil:
                if parser.isReadingBody && bodyStartedAt == nil { bodyStartedAt = now }
                return (offset, .needMoreData)
            case .continueNeeded:
                bodyStartedAt = now
                if slots.isEmpty && outboundWritten == outbound.count {
                    outbound.append(contentsOf: HTTPResponseEncoder.continueResponse)
                } else {
                    continuePending = true
                }
            case .request(let request):
                headStartedAt = nil
                bodyStartedAt = nil
                pausedAt = nil
                continuePending = false
                requestsRead += 1
                let sequence = nextSequence
                nextSequence += 1
                let closeAfter = !request.keepAlive || shuttingDown
                slots.append(Slot(closeAfter: closeAfter, http10: request.version == .http1_0,
                                  omitBody: request.method == .head, state: .waiting))
                if closeAfter { phase = .closingAfterWrites }
                if !closeAfter && WebSocketHandshake.isUpgradeRequest(request) { upgradePending = sequence }
                if let cors, cors.isPreflight(request) {
                    respond(sequence: sequence, response: cors.preflightResponse, now: now)
                    continue
                }
                return (offset, .dispatch(request, sequence: sequence))
            case .error(let error):
                refuse(.error(error.status, message: error.message), now: now)
                return (input.count, .discard)
            }
        }
    }

    /// The peer closed its side (read returned 0).
    mutating func inputDidEnd() {
        inputEnded = true
        switch phase {
        case .closed:
            break
        case .lingering:
            phase = .closed
        case .open, .closingAfterWrites:
            let streaming = slots.contains { if case .streaming = $0.state { true } else { false } }
            phase = streaming || slots.isEmpty ? .closed : .closingAfterWrites
        }
    }

    /// The socket failed or the connection must go now.
    mutating func abort() {
        phase = .closed
    }

    // MARK: Responses

    /// Queues the response to request `sequence`; ignored if that request was
    /// already answered or the connection is closed.
    mutating func respond(sequence: UInt64, response: HTTPResponse, now: Deadline) {
        if upgradePending == sequence { upgradePending = nil }
        guard phase != .closed, let index = slotIndex(sequence), case .waiting = slots[index].state else { return }
        let slot = slots[index]
        let connection = connectionField(slot)
        if index == 0 {
            HTTPResponseEncoder.appendResponse(response, omitBody: slot.omitBody, connection: connection,
                                               common: commonHeaders, into: &outbound)
            slots[0].state = .done
            advance(now: now)
        } else {
            let before = slots[index].buffered.count
            HTTPResponseEncoder.appendResponse(response, omitBody: slot.omitBody, connection: connection,
                                               common: commonHeaders, into: &slots[index].buffered)
            bufferedInSlots += slots[index].buffered.count - before
            slots[index].state = .done
        }
    }

    /// Starts a streamed response to request `sequence`: chunked for HTTP/1.1,
    /// close-delimited for HTTP/1.0. False if the request was already answered
    /// or the connection is closed.
    mutating func startStream(sequence: UInt64, status: HTTPStatus, headers: HTTPHeaders) -> Bool {
        if upgradePending == sequence { upgradePending = nil }
        guard phase != .closed, let index = slotIndex(sequence), case .waiting = slots[index].state else { return false }
        let chunked = !slots[index].http10
        if !chunked {
            slots[index].closeAfter = true
            if phase == .open { phase = .closingAfterWrites }
        }
        slots[index].state = .streaming(chunked: chunked)
        let connection = chunked ? connectionField(slots[index]) : .close
        let framing: HTTPResponseEncoder.Framing = chunked ? .chunked : .closeDelimited
        let common = commonHeaders
        append(to: index) { out in
            HTTPResponseEncoder.appendHead(status: status, headers: headers, framing: framing, connection: connection,
                                           common: common, into: &out)
        }
        return true
    }

    /// Answers upgrade request `sequence` with `101 Switching Protocols` and
    /// gives the connection up: returns every byte still owed (ending with the
    /// 101 head) for the new protocol to send first, and the machine is closed.
    /// Nil when the request is not the only one outstanding or the connection is closing.
    mutating func upgrade(sequence: UInt64, headers: HTTPHeaders) -> [UInt8]? {
        guard phase == .open, upgradePending == sequence, slots.count == 1, slotIndex(sequence) == 0,
              case .waiting = slots[0].state else { return nil }
        HTTPResponseEncoder.appendHead(status: HTTPStatus(code: 101, reasonPhrase: "Switching Protocols"), headers: headers,
                                       framing: nil, connection: .upgrade, common: commonHeaders, into: &outbound)
        let owed = Array(outbound[outboundWritten...])
        outbound = []
        outboundWritten = 0
        slots = []
        headSequence += 1
        upgradePending = nil
        phase = .closed
        return owed
    }

    /// Appends bytes to a stream. False when the stream is gone or output owed
    /// to this client now exceeds `maxOutputBytes` (the caller then drops it).
    mutating func streamWrite(sequence: UInt64, bytes: [UInt8]) -> Bool {
        guard phase != .closed, let index = slotIndex(sequence), case .streaming(let chunked) = slots[index].state else { return false }
        if slots[index].omitBody || bytes.isEmpty { return true }
        append(to: index) { out in
            if chunked { HTTPResponseEncoder.appendChunk(bytes, into: &out) } else { out.append(contentsOf: bytes) }
        }
        return pendingOutputBytes <= limits.maxOutputBytes
    }

    /// Ends a stream (writes the last chunk) and lets later responses follow.
    mutating func streamEnd(sequence: UInt64, now: Deadline) {
        guard phase != .closed, let index = slotIndex(sequence), case .streaming(let chunked) = slots[index].state else { return }
        if chunked && !slots[index].omitBody {
            append(to: index) { $0.append(contentsOf: HTTPResponseEncoder.lastChunk) }
        }
        slots[index].state = .done
        if index == 0 { advance(now: now) }
    }

    /// Stops reading new requests: idle connections close now, busy ones after
    /// their owed responses (the last of which says `Connection: close`).
    mutating func beginShutdown() {
        shuttingDown = true
        if case .lingering = phase { phase = .closed }
        guard phase == .open, parser.isIdle else { return }
        if slots.isEmpty && !hasPendingOutput {
            phase = .closed
        } else {
            if !slots.isEmpty { slots[slots.count - 1].closeAfter = true }
            phase = .closingAfterWrites
        }
    }

    // MARK: Output progress

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
        case .closingAfterWrites where slots.isEmpty && !hasPendingOutput:
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

    // MARK: Queries

    var hasPendingOutput: Bool { outboundWritten < outbound.count }

    /// Whether every request read so far has been answered.
    var allAnswered: Bool { slots.isEmpty }

    /// Bytes owed to the client and not yet handed to the kernel.
    var pendingOutputBytes: Int { outbound.count - outboundWritten + bufferedInSlots }

    /// Whether another request may be parsed now (bounded pipelining and output).
    var canAcceptRequest: Bool {
        slots.count < limits.maxPipelinedRequests && pendingOutputBytes <= limits.maxOutputBytes && upgradePending == nil
    }

    /// Whether the wrapper should poll for input: requests while open, EOF while
    /// closing; never after EOF, which level-triggered polling would report forever.
    var wantsInput: Bool {
        if inputEnded { return false }
        return switch phase {
        case .open: canAcceptRequest
        case .closingAfterWrites, .lingering: true
        case .closed: false
        }
    }


    /// Sequences of streams still open, oldest first.
    var openStreams: [UInt64] {
        slots.indices.compactMap { index in
            if case .streaming = slots[index].state { headSequence + UInt64(index) } else { nil }
        }
    }

    // MARK: Helpers

    mutating func refuse(_ response: HTTPResponse, now: Deadline) {
        headStartedAt = nil
        bodyStartedAt = nil
        let sequence = nextSequence
        nextSequence += 1
        slots.append(Slot(closeAfter: true, http10: false, omitBody: false, state: .waiting))
        phase = .closingAfterWrites
        respond(sequence: sequence, response: response, now: now)
    }

    private func slotIndex(_ sequence: UInt64) -> Int? {
        guard sequence >= headSequence, sequence - headSequence < UInt64(slots.count) else { return nil }
        return Int(sequence - headSequence)
    }

    private func connectionField(_ slot: Slot) -> HTTPResponseEncoder.ConnectionField {
        slot.closeAfter ? .close : (slot.http10 ? .keepAlive : .none)
    }

    private mutating func append(to index: Int, _ write: (inout [UInt8]) -> Void) {
        if index == 0 {
            write(&outbound)
        } else {
            let before = slots[index].buffered.count
            write(&slots[index].buffered)
            bufferedInSlots += slots[index].buffered.count - before
        }
    }

    /// Retires finished head slots and moves the next slot's buffered bytes out.
    private mutating func advance(now: Deadline) {
        while let first = slots.first, case .done = first.state {
            slots.removeFirst()
            headSequence += 1
            lastActivity = now
            if first.closeAfter {
                headSequence += UInt64(slots.count)
                slots.removeAll()
                bufferedInSlots = 0
                return
            }
            guard !slots.isEmpty else {
                if continuePending {
                    outbound.append(contentsOf: HTTPResponseEncoder.continueResponse)
                    continuePending = false
                }
                return
            }
            if !slots[0].buffered.isEmpty {
                bufferedInSlots -= slots[0].buffered.count
                outbound.append(contentsOf: slots[0].buffered)
                slots[0].buffered = []
            }
        }
    }
}
