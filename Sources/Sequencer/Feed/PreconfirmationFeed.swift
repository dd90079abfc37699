import Foundation
import HTTP
import Primitives
import Synchronization

/// The live feed behind `GET /v1/preconfirmations`: every pre-confirmation
/// and every sealed block, as server-sent events with increasing ids.
/// Events are built and signed on the feed's own queue, never on the
/// sequencer thread, and only while someone listens. A subscriber whose
/// connection falls too far behind is dropped by the HTTP layer (its stream
/// refuses writes) rather than slowing anyone. The last `retained` events
/// are kept so a client reconnecting with `Last-Event-ID` gets what it missed.
/// Every `heartbeatInterval` each subscriber gets an SSE comment line
/// (`: heartbeat`), so proxies keep the stream open and clients can tell a
/// quiet feed from a dead connection.
public final class PreconfirmationFeed: Sendable {
    struct State {
        var subscribers: [ObjectIdentifier: HTTPStream] = [:]
        var recent: [(id: UInt64, event: ServerSentEvent)] = []
        var nextID: UInt64 = 1
    }

    // Subscribers, the retained events and the id counter; touched from the feed queue and I/O loops.
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "preconfirmation-feed")
    public let retained: Int
    /// Time between heartbeat comments; nil sends none.
    public let heartbeatInterval: Duration?

    /// The comment line sent as a heartbeat.
    public static let heartbeat: [UInt8] = Array(": heartbeat\n\n".utf8)

    public init(retained: Int = 1024, heartbeatInterval: Duration? = .seconds(15)) {
        self.retained = retained
        self.heartbeatInterval = heartbeatInterval
        scheduleHeartbeat()
    }

    /// Sends the heartbeat on the feed queue (after queued events), then schedules the next;
    /// the chain of ticks ends when the feed is released.
    private func scheduleHeartbeat() {
        guard let interval = heartbeatInterval, interval > .zero else { return }
        let (seconds, attoseconds) = interval.components
        let nanos = Int(clamping: seconds.multipliedReportingOverflow(by: 1_000_000_000).overflow ? Int64.max
                        : seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        queue.asyncAfter(deadline: .now() + .nanoseconds(max(1_000_000, nanos))) { [weak self] in
            guard let self else { return }
            let targets = state.withLock { Array($0.subscribers.values) }
            for stream in targets where !stream.write(Self.heartbeat) {
                stream.close()
            }
            scheduleHeartbeat()
        }
    }

    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    /// Whether anyone listens (so producers can skip work).
    public var isActive: Bool { subscriberCount > 0 }

    /// Adds a subscriber; replays retained events after `lastEventID` first.
    public func subscribe(_ stream: HTTPStream, lastEventID: UInt64?) {
        let key = ObjectIdentifier(stream)
        let backlog: [ServerSentEvent] = state.withLock { s in
            s.subscribers[key] = stream
            guard let last = lastEventID else { return [] }
            return s.recent.filter { $0.id > last }.map(\.event)
        }
        _ = stream.send(ServerSentEvent(event: "hello", data: #"{"feed":"preconfirmations"}"#, retry: 1000))
        for e in backlog where !stream.send(e) { break }
        stream.onClose { [weak self] in
            self?.state.withLock { _ = $0.subscribers.removeValue(forKey: key) }
        }
    }

    /// Queues an event built by `make` (on the feed queue) for every subscriber, in order.
    public func publish(event name: String, _ make: @escaping @Sendable () -> String) {
        guard isActive else { return }
        queue.async { [self] in
            let data = make()
            let (event, targets) = state.withLock { s in
                let id = s.nextID
                s.nextID += 1
                let event = ServerSentEvent(id: String(id), event: name, data: data)
                s.recent.append((id, event))
                if s.recent.count > retained { s.recent.removeFirst(s.recent.count - retained) }
                return (event, Array(s.subscribers.values))
            }
            for stream in targets where !stream.send(event) {
                stream.close()
            }
        }
    }

    /// Waits until every event published so far has been handed to the streams (tests, shutdown).
    public func drain() { queue.sync {} }
}
