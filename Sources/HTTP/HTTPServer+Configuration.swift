import Glibc

extension HTTPServer {
    /// Where to listen, how many loops, and every limit that keeps one client
    /// from hurting the others. Each refusal is answered with a short JSON body.
    public struct Configuration: Sendable {
        /// A numeric IPv4/IPv6 address or `localhost`.
        public var host: String
        /// The port; 0 lets the kernel choose (read it back from ``HTTPServer/localAddress``).
        public var port: Int
        /// Event loops (threads), each with its own `SO_REUSEPORT` listening socket.
        public var eventLoopCount: Int
        public var backlog: Int32 = 1024

        /// Request line plus header lines; beyond it: 431.
        public var maxHeaderBytes = 16 * 1024
        /// Decoded request body; beyond it: 413.
        public var maxBodyBytes = 1 << 20
        /// Open connections across all loops; beyond it new ones get a 503 and are closed.
        public var maxConnections = 10_000
        /// Time from a request's first byte (or from connecting) to the end of its head; then 408.
        public var headerTimeout: Duration = .seconds(10)
        /// Time from the end of the head to the end of the body; then 408.
        public var bodyTimeout: Duration = .seconds(30)
        /// Time a kept-alive connection may sit between requests before it is closed.
        public var idleTimeout: Duration = .seconds(60)
        /// Time owed output may make no progress (the client stopped reading) before the connection is dropped.
        public var writeTimeout: Duration = .seconds(30)
        /// Requests read ahead of their responses on one connection; beyond it reading pauses.
        public var maxPipelinedRequests = 16
        /// Output owed to one client; beyond it reading pauses and streams are dropped.
        public var maxOutputBytes = 1 << 20
        /// How long ``HTTPServer/shutdown()`` waits for in-flight requests before closing them.
        public var shutdownTimeout: Duration = .seconds(10)
        /// After a server-side close, how long unread input is drained so the client sees the response, not a reset.
        public var lingerTimeout: Duration = .seconds(2)

        /// The `Server` field; nil leaves it out.
        public var serverName: String? = "swift-http"
        /// Whether responses carry a `Date` field (formatted once a second per loop).
        public var sendsDate = true
        /// Cross-origin support; nil sends no CORS fields.
        public var cors: CORSConfiguration?

        public init(host: String = "127.0.0.1", port: Int = 8080, eventLoopCount: Int = Configuration.coreCount) {
            self.host = host
            self.port = port
            self.eventLoopCount = eventLoopCount
        }

        /// The number of online processors.
        public static var coreCount: Int {
            max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        }

        var parserLimits: HTTPRequestParser.Limits {
            HTTPRequestParser.Limits(maxHeaderBytes: maxHeaderBytes, maxBodyBytes: maxBodyBytes)
        }

        var connectionLimits: HTTPConnection.Limits {
            HTTPConnection.Limits(
                maxPipelinedRequests: max(1, maxPipelinedRequests), maxOutputBytes: maxOutputBytes,
                headerTimeout: headerTimeout.clampedNanoseconds, bodyTimeout: bodyTimeout.clampedNanoseconds,
                idleTimeout: idleTimeout.clampedNanoseconds, writeTimeout: writeTimeout.clampedNanoseconds,
                lingerTimeout: lingerTimeout.clampedNanoseconds)
        }
    }

    /// Counters across all loops, read without stopping the server.
    public struct Statistics: Sendable, Equatable {
        public var acceptedConnections: Int
        /// Connections turned away because ``Configuration/maxConnections`` were open.
        public var rejectedConnections: Int
        public var openConnections: Int
        /// Requests handed to the responder (preflights answered by the server are not counted).
        public var requests: Int
    }
}
