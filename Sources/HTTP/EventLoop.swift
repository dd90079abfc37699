import CSys
import Glibc
import Synchronization

/// Receives readiness events for a descriptor registered with an ``EventLoop``.
public protocol EventLoopHandler: AnyObject {
    /// Called on the loop's thread with the `EPOLL*` bits that are ready.
    func handleEvents0(_ events: UInt32)
}

/// What went wrong creating or driving an event loop.
public enum EventLoopError: Error, Sendable, Equatable {
    case epollCreateFailed(errno: Int32)
    case eventfdFailed(errno: Int32)
    case threadCreateFailed(code: Int32)
    case registrationFailed(fd: Int32, errno: Int32)
}

/// One thread running an epoll loop: readiness events, timers, and tasks
/// submitted from other threads.
///
/// The loop is **level-triggered**: each wake-up reads at most one buffer per
/// connection, so a busy connection cannot starve its neighbours, and a handler
/// need not drain a socket to `EAGAIN` (which would cost one extra `read` per
/// event in edge-triggered mode). Write interest (`EPOLLOUT`) is registered only
/// while a connection has unsent output, so level triggering never spins.
///
/// Each iteration: `epoll_wait` (timeout = the next timer deadline), dispatch
/// events, run expired timers, run submitted tasks. Other threads submit work
/// with ``execute(_:)``, which queues it under a `Mutex` and writes an eventfd
/// registered in the same epoll set (swift-nio's `SelectorEpoll` does the same).
///
/// Methods whose names end in `0` may only be called on the loop's thread.
public final class EventLoop: @unchecked Sendable {
    private struct Registration {
        let handler: any EventLoopHandler
        let generation: UInt32
    }

    private static let wakeupToken = UInt64.max
    private static let maxEvents: Int32 = 256

    /// A short name used in diagnostics.
    public let name: String
    private let epollFD: Int32
    private let wakeFD: Int32

    // Guarded by its own lock: written by any thread, drained by the loop thread.
    private let tasks = Mutex<[@Sendable () -> Void]>([])
    // Set when an eventfd write is outstanding, so concurrent submitters write it once.
    private let wakeupPending = Atomic<Bool>(false)
    // The loop thread's pthread_t, written once by the loop thread itself; 0 before it runs.
    private let loopThread = Atomic<UInt>(0)
    // The pthread_t to join, written once by the starting thread.
    private let joinHandle = Atomic<UInt>(0)
    private let stopRequested = Atomic<Bool>(false)

    // Loop thread only: registrations by descriptor, the timer heap, the cached clock.
    private var registrations: [Registration?] = []
    private var generation: UInt32 = 0
    private var timers = TimerHeap()
    private var cachedNow = Deadline.now()
    private var taskBatch: [@Sendable () -> Void] = []

    /// Creates the loop's epoll set and eventfd; ``start()`` spawns its thread.
    public init(name: String = "event-loop") throws(EventLoopError) {
        self.name = name
        let ep = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard ep >= 0 else { throw .epollCreateFailed(errno: errno) }
        let ev = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard ev >= 0 else {
            let e = errno
            close(ep)
            throw .eventfdFailed(errno: e)
        }
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.u64 = Self.wakeupToken
        guard epoll_ctl(ep, EPOLL_CTL_ADD, ev, &event) == 0 else {
            let e = errno
            close(ep)
            close(ev)
            throw .registrationFailed(fd: ev, errno: e)
        }
        epollFD = ep
        wakeFD = ev
    }

    deinit {
        close(epollFD)
        close(wakeFD)
    }

    /// Spawns the loop's thread. The thread keeps the loop alive until ``stop()``.
    public func start() throws(EventLoopError) {
        switch PThread.spawn({ [self] in run() }) {
        case .success(let thread): joinHandle.store(UInt(thread), ordering: .releasing)
        case .failure(let error): throw error
        }
    }

    /// Asks the loop to exit after its current iteration; tasks already queued still run.
    public func stop() {
        stopRequested.store(true, ordering: .releasing)
        wakeUp()
    }

    /// Stops the loop and waits for its thread to exit. Must not be called on the loop's thread.
    public func stopAndJoin() {
        precondition(!inEventLoop, "stopAndJoin() called on the loop's own thread")
        stop()
        let handle = joinHandle.exchange(0, ordering: .acquiring)
        if handle != 0 { pthread_join(pthread_t(handle), nil) }
    }

    /// Whether the caller is running on this loop's thread.
    public var inEventLoop: Bool {
        pthread_self() == loopThread.load(ordering: .relaxed)
    }

    /// Traps in debug builds when called off the loop's thread.
    public func assertInEventLoop(file: StaticString = #fileID, line: UInt = #line) {
        assert(inEventLoop, "not on event loop \(name)", file: file, line: line)
    }

    /// Traps (in all builds) when called off the loop's thread.
    public func preconditionInEventLoop(file: StaticString = #fileID, line: UInt = #line) {
        precondition(inEventLoop, "not on event loop \(name)", file: file, line: line)
    }

    /// Runs `task` on the loop's thread, soon. Callable from any thread; tasks
    /// submitted from one thread run in submission order.
    public func execute(_ task: @escaping @Sendable () -> Void) {
        tasks.withLock { $0.append(task) }
        if !inEventLoop { wakeUp() }
    }

    /// Runs `task` on the loop's thread at or after `deadline`. Callable from any thread.
    public func schedule(at deadline: Deadline, _ task: @escaping @Sendable () -> Void) {
        if inEventLoop {
            _ = scheduleTimer0(at: deadline, task)
        } else {
            execute { [self] in _ = scheduleTimer0(at: deadline, task) }
        }
    }

    /// The time taken once per loop iteration, after `epoll_wait` returns. Loop thread only.
    public var now0: Deadline {
        assertInEventLoop()
        return cachedNow
    }

    /// Schedules `task` to run at or after `deadline`. Loop thread only.
    @discardableResult
    public func scheduleTimer0(at deadline: Deadline, _ task: @escaping () -> Void) -> TimerID {
        assertInEventLoop()
        return timers.schedule(at: deadline, task)
    }

    /// Cancels a timer that has not fired yet; no effect otherwise. Loop thread only.
    public func cancelTimer0(_ id: TimerID) {
        assertInEventLoop()
        timers.cancel(id)
    }

    /// Adds `fd` to the epoll set with interest `events` (`EPOLLIN.rawValue`, …). Loop thread only.
    /// The loop keeps `handler` alive until ``deregister0(fd:closing:)``.
    public func register0(fd: Int32, events: UInt32, handler: any EventLoopHandler) throws(EventLoopError) {
        assertInEventLoop()
        precondition(fd >= 0)
        let index = Int(fd)
        if index >= registrations.count {
            registrations.append(contentsOf: repeatElement(nil, count: max(index + 1, registrations.count * 2) - registrations.count))
        }
        generation &+= 1
        if generation == 0 { generation = 1 }
        registrations[index] = Registration(handler: handler, generation: generation)
        var event = epoll_event()
        event.events = events
        event.data.u64 = Self.token(fd: fd, generation: generation)
        guard epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) == 0 else {
            registrations[index] = nil
            throw .registrationFailed(fd: fd, errno: errno)
        }
    }

    /// Changes the interest set of a registered descriptor. Loop thread only.
    public func modify0(fd: Int32, events: UInt32) {
        assertInEventLoop()
        guard Int(fd) < registrations.count, let registration = registrations[Int(fd)] else { return }
        var event = epoll_event()
        event.events = events
        event.data.u64 = Self.token(fd: fd, generation: registration.generation)
        _ = epoll_ctl(epollFD, EPOLL_CTL_MOD, fd, &event)
    }

    /// Forgets a descriptor. With `closing: true` the caller is about to close
    /// it, which removes it from the epoll set without a system call. Loop thread only.
    public func deregister0(fd: Int32, closing: Bool) {
        assertInEventLoop()
        guard Int(fd) < registrations.count, registrations[Int(fd)] != nil else { return }
        registrations[Int(fd)] = nil
        if !closing { _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, nil) }
    }

    private static func token(fd: Int32, generation: UInt32) -> UInt64 {
        UInt64(generation) << 32 | UInt64(UInt32(bitPattern: fd))
    }

    private func wakeUp() {
        guard !wakeupPending.exchange(true, ordering: .acquiringAndReleasing) else { return }
        var one: UInt64 = 1
        _ = withUnsafeBytes(of: &one) { Glibc.write(wakeFD, $0.baseAddress, 8) }
    }

    private func run() {
        loopThread.store(UInt(pthread_self()), ordering: .releasing)
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: Int(Self.maxEvents))
        defer { events.deallocate() }
        cachedNow = .now()
        while !stopRequested.load(ordering: .acquiring) {
            let count = epoll_wait(epollFD, events, Self.maxEvents, waitTimeout())
            cachedNow = .now()
            if count > 0 {
                for i in 0..<Int(count) {
                    dispatch(events[i])
                }
            }
            runExpiredTimers()
            runTasks()
        }
        runTasks()
        registrations.removeAll()
        timers = TimerHeap()
    }

    private func dispatch(_ event: epoll_event) {
        let token = event.data.u64
        if token == Self.wakeupToken {
            var value: UInt64 = 0
            _ = withUnsafeMutableBytes(of: &value) { Glibc.read(wakeFD, $0.baseAddress, 8) }
            wakeupPending.store(false, ordering: .releasing)
            return
        }
        let fd = Int(UInt32(truncatingIfNeeded: token))
        guard fd < registrations.count, let registration = registrations[fd],
              registration.generation == UInt32(truncatingIfNeeded: token >> 32) else { return }
        registration.handler.handleEvents0(event.events)
    }

    private func waitTimeout() -> Int32 {
        if tasks.withLock({ !$0.isEmpty }) { return 0 }
        guard let next = timers.nextDeadline else { return -1 }
        let now = Deadline.now()
        guard next > now else { return 0 }
        let millis = (next.nanoseconds - now.nanoseconds + 999_999) / 1_000_000
        return Int32(clamping: millis)
    }

    private func runExpiredTimers() {
        while let task = timers.popExpired(now: cachedNow) {
            task()
        }
    }

    private func runTasks() {
        var batch = taskBatch
        taskBatch = []
        tasks.withLock { queued in
            if !queued.isEmpty { swap(&queued, &batch) }
        }
        for task in batch { task() }
        batch.removeAll(keepingCapacity: true)
        taskBatch = batch
    }
}
