/// Limits and timers of upgraded connections. Every one bounds what a peer
/// can make the server hold or wait for.
public struct WebSocketConfiguration: Sendable {
    /// A frame whose header announces a longer payload is refused with 1009 before it is read.
    public var maxFrameBytes = 1 << 20
    /// A message (all fragments together) beyond this is refused with 1009.
    public var maxMessageBytes = 1 << 20
    /// Output owed to a peer beyond this means it does not read: the connection is dropped.
    public var maxOutputBytes = 1 << 20
    /// After this long without input the server pings; after as long again without any, it drops
    /// the connection. Nil never pings: an idle connection then stays open.
    public var pingInterval: Duration? = .seconds(30)
    /// How long to wait for the peer's close frame after sending ours.
    public var closeTimeout: Duration = .seconds(5)
    /// How long owed output may make no progress before the connection is dropped.
    public var writeTimeout: Duration = .seconds(30)
    /// After the final close frame, how long unread input is drained so the peer sees it, not a reset.
    public var lingerTimeout: Duration = .seconds(2)

    public init() {}
}
