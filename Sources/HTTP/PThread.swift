import Glibc

/// Starting plain threads without Foundation: the event loops, the signal
/// watcher and the shutdown helper each get one thread with one job.
enum PThread {
    private final class Box {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// Starts a thread running `body`; returns its handle, or the error code.
    static func spawn(_ body: @escaping @Sendable () -> Void) -> Result<pthread_t, EventLoopError> {
        let context = Unmanaged.passRetained(Box(body)).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { argument in
            let box = Unmanaged<Box>.fromOpaque(argument!).takeRetainedValue()
            box.body()
            return nil
        }, context)
        guard rc == 0 else {
            Unmanaged<Box>.fromOpaque(context).release()
            return .failure(.threadCreateFailed(code: rc))
        }
        return .success(thread)
    }

    /// Starts a thread that nobody joins.
    static func detach(_ body: @escaping @Sendable () -> Void) {
        if case .success(let thread) = spawn(body) { pthread_detach(thread) }
    }
}

/// A one-shot gate: threads block in ``wait()`` until ``open()`` is called once.
final class Latch: @unchecked Sendable {
    // `isOpen` is guarded by `mutex`; `condition` is signalled under it.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var isOpen = false

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func open() {
        pthread_mutex_lock(mutex)
        isOpen = true
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    func wait() {
        pthread_mutex_lock(mutex)
        while !isOpen { pthread_cond_wait(condition, mutex) }
        pthread_mutex_unlock(mutex)
    }
}
