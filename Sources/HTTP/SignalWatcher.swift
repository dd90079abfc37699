import Glibc
import Synchronization

// The write end of the self-pipe; set once before any handler is installed, then only read (by signal handlers).
nonisolated(unsafe) private var signalPipeWriteFD: Int32 = -1

/// Handlers by signal number, and whether the watcher thread runs.
private struct WatcherState {
    var handlers: [Int32: [@Sendable (Int32) -> Void]] = [:]
    var started = false
}

// Guards the handler table; touched by `install` callers and the watcher thread.
private let watcherState = Mutex(WatcherState())

/// Turns POSIX signals into calls on an ordinary thread through a self-pipe:
/// the signal handler only writes the signal number to a non-blocking pipe
/// (async-signal-safe); a watcher thread reads it and runs the handlers,
/// where any code may run. Unlike `signalfd`, this needs no signal mask on
/// every thread, so threads started before installation are no risk.
public enum SignalWatcher {
    /// Runs `handler` (on the watcher thread) each time one of `signals` arrives.
    public static func install(_ signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) {
        let startWatcher = watcherState.withLock { state -> Bool in
            for signal in signals { state.handlers[signal, default: []].append(handler) }
            guard !state.started else { return false }
            state.started = true
            return true
        }
        if startWatcher {
            var fds: [Int32] = [0, 0]
            guard pipe(&fds) == 0 else { return }
            _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
            _ = fcntl(fds[1], F_SETFL, O_NONBLOCK)
            signalPipeWriteFD = fds[1]
            let readFD = fds[0]
            PThread.detach { watch(readFD) }
        }
        for signal in signals {
            _ = Glibc.signal(signal) { number in
                let saved = errno
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(signalPipeWriteFD, &byte, 1)
                errno = saved
            }
        }
    }

    private static func watch(_ fd: Int32) {
        var byte: UInt8 = 0
        while true {
            let count = read(fd, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            guard count == 1 else { return }
            let signal = Int32(byte)
            let handlers = watcherState.withLock { $0.handlers[signal] ?? [] }
            for handler in handlers { handler(signal) }
        }
    }
}
