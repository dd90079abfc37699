/// Timeouts of a connection: every one is a deadline the wrapper arms one
/// event-loop timer for, so a slow client costs a heap entry, not a thread.
extension HTTPConnection {
    /// Handles the expiry of ``deadline``: a 408 for a slow head or body, or
    /// closing an idle, stalled or lingering connection.
    mutating func timerFired(now: Deadline) {
        switch phase {
        case .closed:
            return
        case .lingering(let until):
            if now >= until { phase = .closed }
            return
        case .open, .closingAfterWrites:
            break
        }
        if let stalled = writeStalledSince, now >= stalled.adding(nanoseconds: limits.writeTimeout) {
            phase = .closed
            return
        }
        guard phase == .open, let (deadline, kind) = inputDeadline, now >= deadline else { return }
        switch kind {
        case .head: refuse(.error(.requestTimeout, message: "request header timeout"), now: now)
        case .body: refuse(.error(.requestTimeout, message: "request body timeout"), now: now)
        case .idle: phase = .closed
        }
    }

    /// When ``timerFired(now:)`` should next be called, if ever.
    var deadline: Deadline? {
        switch phase {
        case .closed:
            return nil
        case .lingering(let until):
            return until
        case .open, .closingAfterWrites:
            let write = writeStalledSince.map { $0.adding(nanoseconds: limits.writeTimeout) }
            guard phase == .open, let (input, _) = inputDeadline else { return write }
            return min(write ?? input, input)
        }
    }

    private enum InputTimeout {
        case head
        case body
        case idle
    }

    /// The input-side timeout in force, if any. None while reading is paused
    /// (we are the slow party then); after a pause the clock restarts.
    private var inputDeadline: (Deadline, InputTimeout)? {
        guard canAcceptRequest else { return nil }
        func since(_ start: Deadline?) -> Deadline? {
            guard let start else { return nil }
            return max(start, pausedAt ?? start)
        }
        if parser.isReadingBody {
            return since(bodyStartedAt).map { ($0.adding(nanoseconds: limits.bodyTimeout), .body) }
        }
        if !parser.isIdle {
            return since(headStartedAt).map { ($0.adding(nanoseconds: limits.headerTimeout), .head) }
        }
        if allAnswered && !hasPendingOutput {
            return (idleDeadline, .idle)
        }
        return nil
    }

    /// A fresh connection gets `headerTimeout` to send its first request; a
    /// kept-alive one gets `idleTimeout` between requests.
    var idleDeadline: Deadline {
        lastActivity.adding(nanoseconds: requestsRead == 0 ? limits.headerTimeout : limits.idleTimeout)
    }
}
