import Synchronization

/// Gathers the responses of a batch whose entries complete in any order on any
/// thread, and emits the batch reply once, when the last one arrives.
///
/// Invariant: each index is completed exactly once (guaranteed by
/// `ResponseSink`); the slots and the countdown live under one lock.
final class BatchCollector: Sendable {
    private struct State {
        var remaining: Int
        var responses: [[UInt8]?]
    }

    private let state: Mutex<State>
    private let completion: @Sendable ([UInt8]?) -> Void

    init(count: Int, completion: @escaping @Sendable ([UInt8]?) -> Void) {
        state = Mutex(State(remaining: count, responses: Array(repeating: nil, count: count)))
        self.completion = completion
    }

    func complete(_ index: Int, _ response: [UInt8]?) {
        let finished: [[UInt8]?]? = state.withLock { s in
            s.responses[index] = response
            s.remaining -= 1
            guard s.remaining == 0 else { return nil }
            defer { s.responses = [] }
            return s.responses
        }
        if let finished { completion(JSONRPCResponse.batch(finished)) }
    }
}
