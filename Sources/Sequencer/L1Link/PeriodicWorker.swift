import Foundation

/// A thread that runs `step` every `interval` until stopped: the shape of
/// the L1-facing roles (queue watcher, batch poster), which do blocking
/// L1 calls and so must stay off the sequencer thread and the I/O loops.
final class PeriodicWorker: @unchecked Sendable {
    private let interval: Duration
    private let step: @Sendable () -> Void
    // Guards `stopping`; the worker waits on it between steps.
    private let condition = NSCondition()
    private var stopping = false
    private let finished = DispatchSemaphore(value: 0)
    private var started = false

    init(name: String, interval: Duration, step: @escaping @Sendable () -> Void) {
        self.interval = interval
        self.step = step
        self.name = name
    }

    let name: String

    func start() {
        started = true
        let thread = Thread { [self] in
            while true {
                step()
                condition.lock()
                if !stopping {
                    let seconds = Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18
                    _ = condition.wait(until: Date().addingTimeInterval(seconds))
                }
                let done = stopping
                condition.unlock()
                if done { break }
            }
            finished.signal()
        }
        thread.name = name
        thread.start()
    }

    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
        if started { finished.wait() }
    }
}
