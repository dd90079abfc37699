import Synchronization

/// Gathers the responses of a batch whose entries complete in any order on any
/// thread, and emits the batch reply once, when the last one arrives.
///
/// Bounds the reply: the first answer that would take the total past `maxBytes`,
/// and every answer after it, is replaced by a short "response too large" error, so a small
/// request (a thousand full-block reads) cannot make the server build a reply
/// of hundreds of megabytes.
///
/// Invariant: each index is completed exactly once (guaranteed by
/// `ResponseSink`); the slots, the countdown and the byte count live under one lock.
final class BatchCollector: Sendable {
    private struct State {
        var remaining: Int
        var bytes = 0
        /// Set by the first answer refused for size; every later answer is refused too.
        var full = false
        var responses: [[UInt8]?]
    }

    private let state: Mutex<State>
    private let maxBytes: Int
    private let completion: @Sendable ([UInt8]?) -> Void

    init(count: Int, maxBytes: Int = .max, completion: @escaping @Sendable ([UInt8]?) -> Void) {
        state = Mutex(State(remaining: count, responses: Array(repeating: nil, count: count)))
        self.maxBytes = maxBytes
        self.completion = completion
    }

    /// Whether the answers gathered so far already fill the reply; entries not yet run need not run.
    var isFull: Bool { state.withLock { $0.full } }

    func complete(_ index: Int, _ response: [UInt8]?, id: JSONRPCID?) {
        let finished: [[UInt8]?]? = state.withLock { s in
            var response = response
            if let r = response, s.full || s.bytes + r.count > maxBytes {
                s.full = true
                response = JSONRPCResponse.error(.responseTooLarge(limit: maxBytes), id: id)
            }
            s.bytes += response?.count ?? 0
            s.responses[index] = response
            s.remaining -= 1
            guard s.remaining == 0 else { return nil }
            defer { s.responses = [] }
            return s.responses
        }
        if let finished { completion(JSONRPCResponse.batch(finished)) }
    }
}
