extension HTTPResponseWriter {
    /// Accepts a WebSocket upgrade (RFC 6455) of `request`: on a valid
    /// handshake the server answers `101 Switching Protocols` and the
    /// connection's bytes go to `handler` from then on; HTTP timeouts no
    /// longer apply. On an invalid one it answers 400 (426 for a wrong
    /// version) and returns nil.
    ///
    /// Must be called on the request's event loop, i.e. from within
    /// ``HTTPResponder/respond(to:writer:)``, and instead of any other answer.
    public func upgradeToWebSocket(_ request: HTTPRequest, configuration: WebSocketConfiguration = WebSocketConfiguration(),
                                   handler: some WebSocketHandler) -> WebSocketConnection? {
        let channel = channel
        channel.loop.preconditionInEventLoop()
        switch WebSocketHandshake.validate(request) {
        case .failure(let error):
            send(error.response)
            return nil
        case .success(let accept):
            let webSocket = WebSocketChannel(fd: channel.fd, remoteAddress: channel.remoteAddress, context: channel.context,
                                             configuration: configuration, handler: handler)
            let connection = WebSocketConnection(channel: webSocket)
            guard channel.upgrade0(sequence: sequence, accept: accept, to: webSocket, connection: connection) else {
                send(WebSocketHandshakeError.pipelined.response)
                return nil
            }
            return connection
        }
    }
}
