import Synchronization

/// A response body sent piece by piece (server-sent events, long polls).
///
/// Thread-safe. Memory is bounded: ``write(_:)`` returns false, and the
/// connection is dropped, once the bytes owed to this client (queued from any
/// thread plus buffered on the connection) exceed the server's
/// `maxOutputBytes`, so a slow reader cannot make the server grow.
/// Writes from one thread arrive in order.
public final class HTTPStream: Sendable {
    private struct CloseState {
        var handler: (@Sendable () -> Void)?
        var finished = false
    }

    let channel: HTTPChannel
    let sequence: UInt64
    let maxBufferedBytes: Int
    // Bytes accepted by `write` whose hop to the loop has not run yet.
    private let inFlight = Atomic<Int>(0)
    // Set by `close()`, by a refused write, or when the connection ends.
    private let closed = Atomic<Bool>(false)
    // The close callback, and whether the stream has finished (then it ran or runs at registration).
    private let closeState = Mutex(CloseState())

    init(channel: HTTPChannel, sequence: UInt64, maxBufferedBytes: Int) {
        self.channel = channel
        self.sequence = sequence
        self.maxBufferedBytes = maxBufferedBytes
    }

    /// Whether the stream has ended; writes then return false.
    public var isClosed: Bool {
        closed.load(ordering: .acquiring)
    }

    /// Queues `bytes` as the next piece of the body. False when the stream is
    /// closed or the client is too slow (the connection is then closed).
    @discardableResult
    public func write(_ bytes: [UInt8]) -> Bool {
        guard !closed.load(ordering: .acquiring) else { return false }
        guard !bytes.isEmpty else { return true }
        let owed = inFlight.wrappingAdd(bytes.count, ordering: .acquiringAndReleasing).newValue
        if owed + channel.bufferedOutput.load(ordering: .relaxed) > maxBufferedBytes {
            inFlight.wrappingSubtract(bytes.count, ordering: .relaxed)
            drop()
            return false
        }
        let channel = channel
        let sequence = sequence
        if channel.loop.inEventLoop && owed == bytes.count {
            inFlight.wrappingSubtract(bytes.count, ordering: .relaxed)
            return channel.streamWrite0(sequence: sequence, bytes: bytes)
        }
        channel.loop.execute { [self] in
            _ = channel.streamWrite0(sequence: sequence, bytes: bytes)
            inFlight.wrappingSubtract(bytes.count, ordering: .releasing)
        }
        return true
    }

    /// Queues UTF-8 text.
    @discardableResult
    public func write(_ text: String) -> Bool {
        write(Array(text.utf8))
    }

    /// Ends the body normally; later responses on the connection may follow.
    public func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let channel = channel
        let sequence = sequence
        if channel.loop.inEventLoop && inFlight.load(ordering: .acquiring) == 0 {
            channel.streamEnd0(sequence: sequence)
        } else {
            channel.loop.execute { channel.streamEnd0(sequence: sequence) }
        }
    }

    /// Runs `callback` once when the stream ends for any reason: ``close()``,
    /// the client going away, a too-slow client being dropped, or server
    /// shutdown. Runs at once if it already ended. Runs on the loop's thread
    /// (or the caller's, if already ended).
    public func onClose(_ callback: @escaping @Sendable () -> Void) {
        let runNow = closeState.withLock { state -> Bool in
            if state.finished { return true }
            state.handler = callback
            return false
        }
        if runNow { callback() }
    }

    /// The stream is over on the connection's side. Loop thread (or a failed start).
    func finished() {
        closed.store(true, ordering: .releasing)
        let handler = closeState.withLock { state -> (@Sendable () -> Void)? in
            guard !state.finished else { return nil }
            state.finished = true
            defer { state.handler = nil }
            return state.handler
        }
        handler?()
    }

    private func drop() {
        closed.store(true, ordering: .releasing)
        let channel = channel
        if channel.loop.inEventLoop {
            channel.abort0()
        } else {
            channel.loop.execute { channel.abort0() }
        }
    }
}
