import Synchronization

/// Receives what happens on one upgraded connection. Both calls run on the
/// connection's event-loop thread, in order; work that takes long belongs on
/// another thread.
public protocol WebSocketHandler: Sendable {
    /// A complete message (fragments reassembled, text checked to be UTF-8).
    func webSocket(_ connection: WebSocketConnection, didReceive message: WebSocketMessage)
    /// The connection stopped being open, once: the peer's close code, ours,
    /// the violation's, 1006 when the TCP connection simply ended, or 1008
    /// when the peer was dropped for not reading.
    func webSocketDidClose(_ connection: WebSocketConnection, code: WebSocketCloseCode, reason: String)
}

/// The handle to one upgraded connection, usable from any thread.
///
/// Memory is bounded: a send returns false, and the connection is dropped,
/// once the bytes owed to the peer (queued from any thread plus buffered on
/// the connection) exceed ``WebSocketConfiguration/maxOutputBytes``, so a
/// peer that does not read cannot make the server grow. Sends from one
/// thread arrive in order.
public final class WebSocketConnection: Sendable {
    let channel: WebSocketChannel
    // Bytes accepted by a send whose hop to the loop has not run yet.
    private let inFlight = Atomic<Int>(0)

    init(channel: WebSocketChannel) {
        self.channel = channel
    }

    /// The loop that owns the connection (handlers run there).
    public var eventLoop: EventLoop { channel.loop }

    /// The peer's address.
    public var remoteAddress: SocketAddress? { channel.remoteAddress }

    /// Whether the connection has stopped being open; sends then return false.
    public var isClosed: Bool { channel.closedFlag.load(ordering: .acquiring) }

    /// Sends a text message. False when the connection is closed or the peer too slow (it is then dropped).
    @discardableResult
    public func send(text: String) -> Bool {
        send(frame: WebSocketFrameEncoder.frame(opcode: .text, payload: text.utf8))
    }

    /// Sends a text message given as UTF-8 bytes (the caller vouches they are valid UTF-8).
    @discardableResult
    public func send(textBytes: [UInt8]) -> Bool {
        send(frame: WebSocketFrameEncoder.frame(opcode: .text, payload: textBytes))
    }

    /// Sends a binary message.
    @discardableResult
    public func send(binary: [UInt8]) -> Bool {
        send(frame: WebSocketFrameEncoder.frame(opcode: .binary, payload: binary))
    }

    /// Sends a ping; the peer's pong (or any input) proves it alive.
    public func ping(_ payload: [UInt8] = []) {
        _ = send(frame: WebSocketFrameEncoder.frame(opcode: .ping, payload: payload.prefix(125)))
    }

    /// Starts the close handshake: our close frame now, the TCP close once
    /// the peer answers (or after the close timeout).
    public func close(code: WebSocketCloseCode = .normalClosure, reason: String = "") {
        let channel = channel
        if channel.loop.inEventLoop && inFlight.load(ordering: .acquiring) == 0 {
            channel.close0(code: code, reason: reason)
        } else {
            channel.loop.execute { channel.close0(code: code, reason: reason) }
        }
    }

    private func send(frame: [UInt8]) -> Bool {
        let channel = channel
        guard !channel.closedFlag.load(ordering: .acquiring) else { return false }
        let owed = inFlight.wrappingAdd(frame.count, ordering: .acquiringAndReleasing).newValue
        if owed + channel.bufferedOutput.load(ordering: .relaxed) > channel.maxOutputBytes {
            inFlight.wrappingSubtract(frame.count, ordering: .relaxed)
            if channel.loop.inEventLoop {
                channel.drop0()
            } else {
                channel.loop.execute { channel.drop0() }
            }
            return false
        }
        if channel.loop.inEventLoop && owed == frame.count {
            inFlight.wrappingSubtract(frame.count, ordering: .relaxed)
            return channel.write0(frame)
        }
        channel.loop.execute { [self] in
            _ = channel.write0(frame)
            inFlight.wrappingSubtract(frame.count, ordering: .releasing)
        }
        return true
    }
}
