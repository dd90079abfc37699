import Ethereum
import Foundation
import Primitives
import Rollup
import Storage
import Synchronization

/// Runs `SequencerCore` on its own thread: other threads hand it
/// transactions through an inbox (a lock and a condition variable), it
/// performs the actions the core returns (write-ahead log appends, replies
/// after durability, publication to the `ChainStore`) and seals blocks on
/// the clock. The only thread that touches the core.
///
/// Replies that promise something (a place, a queued hash) leave only after
/// the log record is durable. Reads see a step as soon as it is appended,
/// up to one fsync (~0.1 ms) before it is durable; they promise nothing.
public final class SequencerRuntime: @unchecked Sendable {
    public typealias ReplyHandler = @Sendable (SequencerCore.Outcome) -> Void

    enum Command {
        case submit(SignedTransaction, sender: Address, reply: ReplyHandler)
        case sealNow(done: @Sendable () -> Void)
        case withCore(@Sendable (inout SequencerCore, _ nowMillis: UInt64) -> [SequencerCore.Action])
        /// Runs once every earlier command's actions are performed (appended, published).
        case barrier(@Sendable () -> Void)
    }

    public let store: ChainStore
    public let chain: ChainConfiguration
    /// Records replayed from the log at start.
    public let recoveredRecords: Int

    // Guards `inbox` and `stopping`; the sequencer thread waits on it.
    private let condition = NSCondition()
    private var inbox: [Command] = []
    private var stopping = false
    // Touched only by the sequencer thread after start.
    private var core: SequencerCore
    private var nextTicket: UInt64 = 0
    /// Clients still owed an answer; an entry leaves with its final outcome.
    private var replies: [UInt64: ReplyHandler] = [:]
    private let log: GroupCommitLog
    // Counts of log records appended and made durable, and who waits for a count; any thread.
    private let durability = Mutex(Durability())
    private struct Durability {
        var appended: UInt64 = 0
        var durable: UInt64 = 0
        var failed = false
        var waiters: [(count: UInt64, body: @Sendable (Bool) -> Void)] = []
    }
    private let clock: any WallClock
    private let stopped = DispatchSemaphore(value: 0)

    /// Opens (or recovers) the node's log in `writer` and replays it on top of genesis.
    /// Sees every step's publication actions once they are durable (feed, metrics); runs on the log's flusher thread.
    public typealias StepObserver = @Sendable ([SequencerCore.Action]) -> Void
    private let observer: StepObserver?

    public init(core: SequencerCore, writer: LogWriter, recovered: [[UInt8]], clock: any WallClock,
                flushObserver: GroupCommitLog.FlushObserver? = nil, observer: StepObserver? = nil) throws(RecoveryError) {
        self.observer = observer
        var core = core
        store = ChainStore(genesis: core.head, state: core.headState, baseFee: core.currentBaseFee, clock: clock)
        let now = clock.nowMillis()
        for (i, bytes) in recovered.enumerated() {
            guard let record = LogRecord(encoded: bytes) else { throw .undecodableRecord(index: i) }
            let actions = try core.replay(record, index: i, nowMillis: now)
            store.publish(actions, headState: core.headState, pendingState: core.pendingState, baseFee: core.currentBaseFee)
        }
        store.setDurableHead(core.head.number)
        self.core = core
        self.chain = core.configuration.chain
        self.clock = clock
        self.recoveredRecords = recovered.count
        self.log = GroupCommitLog(writer: writer, observer: flushObserver)
        let thread = Thread { [unowned self] in self.run() }
        thread.name = "sequencer"
        thread.stackSize = 4 << 20
        thread.start()
    }

    // The operator's switches as last set; written on the sequencer thread, read anywhere.
    private let controlsState = Mutex(OperatorControls())

    /// The current policy, censor list and pause state.
    public var controls: OperatorControls { controlsState.withLock { $0 } }

    func updateControls(_ body: (inout OperatorControls) -> Void) {
        controlsState.withLock { body(&$0) }
    }

    /// Hands `tx` to the sequencer; `reply` runs once its fate is known (and,
    /// for a placed or queued transaction, durable), on an arbitrary thread.
    public func submit(_ tx: SignedTransaction, sender: Address, reply: @escaping ReplyHandler) {
        enqueue(.submit(tx, sender: sender, reply: reply))
    }

    /// Runs `body` once every log record appended so far is durable (with
    /// false if the log failed first), at once when all already are. For
    /// answers about what a reader found in `store`, which shows each step
    /// before its fsync: a transaction seen there is not yet a promise.
    public func whenAppendedRecordsAreDurable(_ body: @escaping @Sendable (_ durable: Bool) -> Void) {
        let ready: Bool? = durability.withLock { d in
            if d.failed { return false }
            if d.durable >= d.appended { return true }
            d.waiters.append((d.appended, body))
            return nil
        }
        if let ready { body(ready) }
    }

    /// Seals the open block now (dev mining, tests).
    public func sealNow(done: @escaping @Sendable () -> Void = {}) {
        enqueue(.sealNow(done: done))
    }

    /// Runs `body` on the sequencer thread against the core (admin and dev operations).
    public func withCore(_ body: @escaping @Sendable (inout SequencerCore, _ nowMillis: UInt64) -> [SequencerCore.Action]) {
        enqueue(.withCore(body))
    }

    /// Runs `body` on the sequencer thread, performs the actions it returns and,
    /// once their log records are durable, hands its result to `completion`
    /// (on an arbitrary thread). For dev and admin calls that answer with a result.
    public func withCore<T: Sendable>(_ body: @escaping @Sendable (inout SequencerCore, _ nowMillis: UInt64) -> (T, [SequencerCore.Action]),
                                      completion: @escaping @Sendable (T) -> Void) {
        let box = ResultBox<T>()
        enqueue(.withCore { core, now in
            let (value, actions) = body(&core, now)
            box.value = value
            return actions
        })
        enqueue(.barrier { [self] in
            let value = box.value!
            whenAppendedRecordsAreDurable { _ in completion(value) }
        })
    }

    /// Seals what is open, flushes the log and stops the thread.
    public func stop() {
        condition.lock()
        let already = stopping
        stopping = true
        condition.signal()
        condition.unlock()
        if !already { stopped.wait() }
        log.close()
    }

    private func enqueue(_ command: Command) {
        condition.lock()
        if stopping {
            condition.unlock()
            if case let .submit(tx, _, reply) = command { _ = tx; reply(.rejected(.unavailable(reason: "shutting down"))) }
            return
        }
        inbox.append(command)
        condition.signal()
        condition.unlock()
    }

    private func run() {
        // A block left open by a crash is sealed before anything else: its hash
        // must not change because new transactions joined it after the restart.
        if core.open != nil {
            var reseal = core.sealNow()
            perform(&reseal)
        }
        var recovery = core.finishRecovery(nowMillis: clock.nowMillis())
        perform(&recovery)
        while true {
            condition.lock()
            while inbox.isEmpty && !stopping {
                if let deadline = core.sealDeadline {
                    let now = clock.nowMillis()
                    if now >= deadline { break }
                    _ = condition.wait(until: Date(timeIntervalSince1970: Double(deadline) / 1000))
                } else {
                    condition.wait()
                }
            }
            let commands = inbox
            inbox.removeAll(keepingCapacity: true)
            let exiting = stopping
            condition.unlock()

            var actions: [SequencerCore.Action] = []
            for command in commands {
                let now = clock.nowMillis()
                switch command {
                case let .submit(tx, sender, reply):
                    nextTicket += 1
                    replies[nextTicket] = reply
                    actions += core.submit(tx, sender: sender, ticket: nextTicket, nowMillis: now)
                case let .sealNow(done):
                    actions += core.sealNow()
                    perform(&actions)
                    done()
                case let .withCore(body):
                    actions += body(&core, now)
                case let .barrier(done):
                    perform(&actions)
                    done()
                }
            }
            actions += core.tick(nowMillis: clock.nowMillis())
            if exiting { actions += core.sealNow() }
            perform(&actions)
            if exiting {
                stopped.signal()
                return
            }
        }
    }

    /// Called in append order from the log's completions.
    private func recordDurability(_ count: UInt64, _ result: Result<Void, StorageError>) {
        let (due, durable): ([@Sendable (Bool) -> Void], Bool) = durability.withLock { d in
            if case .success = result, !d.failed {
                d.durable = count
            } else {
                d.failed = true
            }
            let due = d.waiters.filter { d.failed || $0.count <= d.durable }.map(\.body)
            d.waiters.removeAll { d.failed || $0.count <= d.durable }
            return (due, !d.failed)
        }
        for body in due { body(durable) }
    }

    /// The handler owed `reply`, removed from the table when the outcome is final.
    private func handler(for reply: SequencerCore.Reply) -> ReplyHandler? {
        if case .queued = reply.outcome { return replies[reply.ticket] }
        return replies.removeValue(forKey: reply.ticket)
    }

    private func perform(_ actions: inout [SequencerCore.Action]) {
        guard !actions.isEmpty else { return }
        let lastLog = actions.lastIndex { if case .log = $0 { true } else { false } }
        let published = observer == nil ? [] : actions.filter {
            switch $0 { case .sequenced, .sealed, .queued, .dropped: true; default: false }
        }
        let observer = observer
        let stepHead = core.head.number
        let store = store
        var appends: [(payload: [UInt8], completion: GroupCommitLog.Completion)] = []
        for (i, action) in actions.enumerated() {
            switch action {
            case let .log(record, reply):
                let handler: ReplyHandler? = reply.flatMap { self.handler(for: $0) }
                let notify = i == lastLog && !published.isEmpty ? observer : nil
                let count = durability.withLock { d in
                    d.appended += 1
                    return d.appended
                }
                let isLast = i == lastLog
                appends.append((record.encoded, { result in
                    if isLast, case .success = result { store.setDurableHead(stepHead) }
                    self.recordDurability(count, result)
                    if case .success = result { notify?(published) }
                    guard let reply, let handler else { return }
                    switch result {
                    case .success: handler(reply.outcome)
                    case let .failure(e): handler(.rejected(.unavailable(reason: "write-ahead log failed: \(e)")))
                    }
                }))
            case let .reply(reply):
                handler(for: reply)?(reply.outcome)
            case .sequenced, .queued, .dropped, .sealed, .forcedIncluded, .rewound, .preconfirmationBroken, .snapshotTaken, .restored:
                break
            }
        }
        log.append(contentsOf: appends)
        store.publish(actions, headState: core.headState, pendingState: core.pendingState, baseFee: core.currentBaseFee)
        actions.removeAll(keepingCapacity: true)
    }
}

/// A value handed from the sequencer thread to a later barrier on the same thread.
private final class ResultBox<T>: @unchecked Sendable {
    // Written and read only on the sequencer thread, in that order.
    var value: T?
}
