/// Why the server could not start.
public enum HTTPServerError: Error, Sendable, Equatable {
    /// The host is not a numeric IPv4/IPv6 address (or `localhost`).
    case invalidAddress(String)
    case socketFailed(errno: Int32)
    case bindFailed(address: String, errno: Int32)
    case listenFailed(errno: Int32)
    case eventLoop(EventLoopError)
    /// `start()` was called on a server that is running or already shut down.
    case alreadyStarted
}
