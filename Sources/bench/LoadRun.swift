import Foundation
import Glibc
import Synchronization

/// What one load run observed. Only answers that carry the promise asked
/// for (a signed pre-confirmation, or the hash for `eth_sendRawTransaction`)
/// count as accepted.
struct LoadOutcome {
    /// Accepted answers that arrived inside the measured window.
    var accepted = 0
    var acceptedTotal = 0
    /// Answered "queued" (nonce gap): accepted, but no place promised.
    var queued = 0
    var failed = 0
    /// Requests sent that never got an answer before the run gave up.
    var unanswered = 0
    var firstError: String?
    /// Seconds the measured window lasted.
    var windowSeconds = 0.0
    /// Latencies of accepted answers in the measured window, in nanoseconds:
    /// from the due time in open-loop runs, from the send otherwise.
    var latencies: [UInt64] = []
    /// Open loop only: the same answers' latencies from the moment each request was actually sent.
    var serviceLatencies: [UInt64] = []
    /// Open loop only: how late each measured request left, in nanoseconds.
    var sendLags: [UInt64] = []
    /// Raw answers kept for checking after the run, by transaction index.
    var samples: [(index: Int, body: [UInt8])] = []
    /// The pre-signed transactions ran out before the end of the run.
    var exhausted = false

    var errors: Int { failed + queued + unanswered }

    /// Counts one answer to transaction `index` (keeping every `sampleEvery`-th); true when it is accepted.
    mutating func record(_ response: HTTPResponseScanner.Response, index: Int, signed: Bool, sampleEvery: Int) -> Bool {
        if index % sampleEvery == 0 { samples.append((index, Array(response.body))) }
        let ok: Bool
        if response.status != 200 || !response.body.containsBytes(Self.result) {
            ok = false
        } else if signed {
            ok = response.body.containsBytes(Self.signature)
            if !ok && response.body.containsBytes(Self.queuedStatus) { queued += 1; return false }
        } else {
            ok = response.body.containsBytes(Self.hashResult)
        }
        if ok {
            acceptedTotal += 1
        } else {
            failed += 1
            if firstError == nil {
                firstError = "tx #\(index): HTTP \(response.status) \(String(decoding: response.body.prefix(400), as: UTF8.self))"
            }
        }
        return ok
    }

    private static let result = Array(#""result":"#.utf8)
    private static let signature = Array(#""signature":"0x"#.utf8)
    private static let hashResult = Array(#""result":"0x"#.utf8)
    private static let queuedStatus = Array(#""status":"queued""#.utf8)
}

extension ArraySlice<UInt8> {
    /// Whether `needle` occurs in the slice (a plain scan; answers are a few hundred bytes).
    func containsBytes(_ needle: [UInt8]) -> Bool {
        guard needle.count <= count else { return false }
        var i = startIndex
        let last = endIndex - needle.count
        while i <= last {
            if self[i] == needle[0] && self[i..<i + needle.count].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }
}

private func nanos(_ seconds: Double) -> UInt64 { UInt64(seconds * 1e9) }

/// Closed loop: each connection keeps `window` requests in flight and sends
/// the next as soon as an answer arrives, until the time is up; then waits
/// for what is still in flight. One thread, `poll` over all connections.
func runClosedLoop(plan: LoadPlan, connections: [LoadConnection], window: Int, warmup: Double, duration: Double,
                   signed: Bool, sampleEvery: Int) throws -> LoadOutcome {
    var outcome = LoadOutcome()
    let queues = plan.indicesByConnection
    let n = connections.count
    var next = [Int](repeating: 0, count: n)
    var received = [Int](repeating: 0, count: n)
    var sentAt: [[UInt64]] = queues.map { [UInt64](repeating: 0, count: $0.count) }
    var out: [UInt8] = []
    out.reserveCapacity(window * 512)
    var fds = connections.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
    outcome.latencies.reserveCapacity(plan.count)

    func fill(_ c: Int, now: UInt64) throws {
        out.removeAll(keepingCapacity: true)
        while next[c] - received[c] < window && next[c] < queues[c].count {
            out.append(contentsOf: plan.requests[queues[c][next[c]]])
            sentAt[c][next[c]] = now
            next[c] += 1
        }
        if !out.isEmpty { try connections[c].write(out) }
    }

    let start = monotonicNanos()
    let windowStart = start + nanos(warmup)
    var windowEnd = windowStart + nanos(duration)
    for c in 0..<n { try fill(c, now: start) }
    var sending = true
    var giveUpAt = UInt64.max
    while true {
        let now = monotonicNanos()
        if sending && now >= windowEnd {
            sending = false
            giveUpAt = now + nanos(5)
        }
        if !sending && (next == received || now >= giveUpAt) { break }
        guard try pollReadable(&fds, timeoutMillis: 20) else { continue }
        let t = monotonicNanos()
        for c in 0..<n where fds[c].revents != 0 {
            try connections[c].read()
            while let response = try connections[c].nextResponse() {
                let j = received[c]
                received[c] += 1
                let ok = outcome.record(response, index: queues[c][j], signed: signed, sampleEvery: sampleEvery)
                if ok && t >= windowStart && t < windowEnd {
                    outcome.accepted += 1
                    outcome.latencies.append(t - sentAt[c][j])
                }
            }
            if sending { try fill(c, now: t) }
        }
        if sending && next == queues.map(\.count) {
            outcome.exhausted = true
            windowEnd = min(windowEnd, t)
        }
    }
    outcome.unanswered = zip(next, received).reduce(0) { $0 + $1.0 - $1.1 }
    outcome.windowSeconds = Double(max(windowEnd, windowStart) - windowStart) / 1e9
    return outcome
}

/// Where the open loop's sending thread reports back once it is done.
private final class OpenLoopSenderReport: Sendable {
    let sentAt = Mutex<[UInt64]>([])
    let failure = Mutex<String?>(nil)
    let finished = DispatchSemaphore(value: 0)
}

/// Moves the calling thread to `SCHED_FIFO` so the generator's own wake-ups
/// are not delayed by other work on the machine; false when not permitted.
func makeCurrentThreadRealtime() -> Bool {
    var param = sched_param(sched_priority: 1)
    return pthread_setschedparam(pthread_self(), SCHED_FIFO, &param) == 0
}

/// Open loop: transaction `i` is due at `start + i / rate`; a sending thread
/// sends each when due (or at once when late), whatever the answers do, and
/// this thread reads the answers. Latency runs from the due time, so a stall
/// in the node or the generator counts against every request it delays
/// (no coordinated omission).
func runOpenLoop(plan: LoadPlan, connections: [LoadConnection], rate: Int, warmup: Double,
                 signed: Bool, sampleEvery: Int, realtime: Bool) throws -> LoadOutcome {
    var outcome = LoadOutcome()
    let total = plan.count
    let interval = 1e9 / Double(rate)
    let measuredFrom = min(total, Int((warmup * Double(rate)).rounded()))
    let fdByIndex = (0..<total).map { connections[plan.connection(of: $0)].fd }
    let requests = plan.requests
    let report = OpenLoopSenderReport()
    let start = monotonicNanos() + 20_000_000
    let dueTimes = (0..<total).map { start + UInt64((Double($0) * interval).rounded()) }
    func due(_ i: Int) -> UInt64 { dueTimes[i] }

    let sender = Thread {
        if realtime { _ = makeCurrentThreadRealtime() }
        var sentAt = [UInt64](repeating: 0, count: total)
        var i = 0
        while i < total {
            sleepUntil(dueTimes[i])
            let now = monotonicNanos()
            do {
                while i < total && dueTimes[i] <= now {
                    sentAt[i] = monotonicNanos()
                    try requests[i].withUnsafeBytes { try LoadConnection.writeAll(fd: fdByIndex[i], $0) }
                    i += 1
                }
            } catch {
                report.failure.withLock { $0 = "sending tx #\(i): \(error)" }
                break
            }
        }
        report.sentAt.withLock { $0 = sentAt }
        report.finished.signal()
    }
    sender.name = "load-sender"
    sender.start()

    let queues = plan.indicesByConnection
    var received = [Int](repeating: 0, count: connections.count)
    var fds = connections.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
    let giveUpAt = start + UInt64(Double(total) * interval) + nanos(5)
    var answered = 0
    var firstMeasuredDue = UInt64.max, lastMeasuredAnswer: UInt64 = 0
    var answeredAt = [UInt64](repeating: 0, count: total)
    while answered < total && monotonicNanos() < giveUpAt {
        guard try pollReadable(&fds, timeoutMillis: 20) else {
            if report.failure.withLock({ $0 }) != nil { break }
            continue
        }
        let t = monotonicNanos()
        for c in 0..<connections.count where fds[c].revents != 0 {
            try connections[c].read()
            while let response = try connections[c].nextResponse() {
                let i = queues[c][received[c]]
                received[c] += 1
                answered += 1
                let ok = outcome.record(response, index: i, signed: signed, sampleEvery: sampleEvery)
                if ok && i >= measuredFrom {
                    outcome.accepted += 1
                    answeredAt[i] = t
                    firstMeasuredDue = min(firstMeasuredDue, due(i))
                    lastMeasuredAnswer = max(lastMeasuredAnswer, t)
                }
            }
        }
    }
    report.finished.wait()
    if let failure = report.failure.withLock({ $0 }) { throw LoadError.rpcFailed(method: "send", answer: failure) }
    outcome.unanswered = total - answered
    let sentAt = report.sentAt.withLock { $0 }
    for i in measuredFrom..<total where answeredAt[i] != 0 {
        outcome.latencies.append(answeredAt[i] - due(i))
        outcome.serviceLatencies.append(answeredAt[i] - sentAt[i])
        outcome.sendLags.append(sentAt[i] - due(i))
    }
    outcome.windowSeconds = lastMeasuredAnswer > firstMeasuredDue ? Double(lastMeasuredAnswer - firstMeasuredDue) / 1e9 : 0
    return outcome
}
