extension HTTPResponseWriter {
    /// The loop that owns this request's connection: work that should run on
    /// an I/O thread near the client (e.g. signing an answer) can be sent there.
    public var eventLoop: EventLoop { channel.loop }
}
