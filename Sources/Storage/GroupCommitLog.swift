import Foundation

/// The write-ahead log as the running node uses it: any thread appends a
/// record with a completion; one flusher thread writes everything queued
/// since its last sync with a single write and a single fsync (group
/// commit), then runs the completions in append order. A completion with
/// `.success` means the record survives `kill -9` and power loss.
///
/// After a failed write or sync the log refuses all further appends: the
/// kernel may have dropped the dirty pages, so nothing later can be promised.
public final class GroupCommitLog: @unchecked Sendable {
    /// Called after each group is durable: records, bytes, nanoseconds taken.
    public typealias FlushObserver = @Sendable (_ records: Int, _ bytes: Int, _ nanoseconds: UInt64) -> Void
    public typealias Completion = @Sendable (Result<Void, StorageError>) -> Void

    // Guards `queued`, `completions`, `closed`, `failure`; the flusher waits on it.
    private let condition = NSCondition()
    private var queued: [[UInt8]] = []
    private var completions: [Completion] = []
    private var closed = false
    private var failure: StorageError?
    // Touched only by the flusher thread once started (and by init before that).
    private var writer: LogWriter
    private let observer: FlushObserver?
    private let finished = DispatchSemaphore(value: 0)

    /// Starts the flusher thread on a writer returned by `LogWriter.open`.
    public init(writer: LogWriter, observer: FlushObserver? = nil) {
        self.writer = writer
        self.observer = observer
        let thread = Thread { [unowned self] in self.flushLoop() }
        thread.name = "wal-flusher"
        thread.start()
    }

    /// Queues `payload`; `completion` runs on the flusher thread once it is
    /// durable, or with the error that makes that impossible.
    public func append(_ payload: [UInt8], completion: @escaping Completion) {
        condition.lock()
        if let failure {
            condition.unlock()
            completion(.failure(failure))
            return
        }
        if closed {
            condition.unlock()
            completion(.failure(.closed))
            return
        }
        queued.append(payload)
        completions.append(completion)
        condition.signal()
        condition.unlock()
    }

    /// Queues `entries` in order under one lock acquisition and one wake-up of
    /// the flusher, so they share a group commit; each completion runs as
    /// with `append(_:completion:)`.
    public func append(contentsOf entries: [(payload: [UInt8], completion: Completion)]) {
        guard !entries.isEmpty else { return }
        condition.lock()
        let refusal: StorageError? = failure ?? (closed ? .closed : nil)
        if refusal == nil {
            for entry in entries {
                queued.append(entry.payload)
                completions.append(entry.completion)
            }
            condition.signal()
        }
        condition.unlock()
        if let refusal {
            for entry in entries { entry.completion(.failure(refusal)) }
        }
    }

    /// Appends and waits until durable; for callers with nothing else to do.
    public func appendAndWait(_ payload: [UInt8]) throws(StorageError) {
        let box = ResultBox()
        append(payload) { box.set($0) }
        try box.wait().get()
    }

    /// Flushes what is queued, stops the flusher and returns when it has.
    public func close() {
        condition.lock()
        let already = closed
        closed = true
        condition.signal()
        condition.unlock()
        if !already { finished.wait() }
    }

    private func flushLoop() {
        while true {
            condition.lock()
            while queued.isEmpty && !closed { condition.wait() }
            if queued.isEmpty && closed {
                condition.unlock()
                finished.signal()
                return
            }
            let batch = queued, done = completions
            queued.removeAll(keepingCapacity: true)
            completions.removeAll(keepingCapacity: true)
            condition.unlock()

            let start = DispatchTime.now().uptimeNanoseconds
            let before = writer.end
            var result: Result<Void, StorageError> = .success(())
            do {
                for payload in batch { try writer.append(payload) }
                try writer.flush()
            } catch {
                result = .failure(error)
                condition.lock()
                failure = error
                let stranded = completions
                completions.removeAll()
                queued.removeAll()
                condition.unlock()
                for c in stranded { c(.failure(error)) }
            }
            if case .success = result {
                observer?(batch.count, writer.end - before, DispatchTime.now().uptimeNanoseconds - start)
            }
            for c in done { c(result) }
        }
    }
}

/// A one-shot result a thread waits for.
private final class ResultBox: @unchecked Sendable {
    // Guards `result`; `semaphore` is signalled once when it is set.
    private let lock = NSLock()
    private var result: Result<Void, StorageError> = .failure(.closed)
    private let semaphore = DispatchSemaphore(value: 0)
    func set(_ r: Result<Void, StorageError>) { lock.lock(); result = r; lock.unlock(); semaphore.signal() }
    func wait() -> Result<Void, StorageError> { semaphore.wait(); lock.lock(); defer { lock.unlock() }; return result }
}
