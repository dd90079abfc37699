import JSON
import Synchronization

/// What a handler answers: a value, JSON it already serialized (hot methods
/// write their output by hand), or an error.
public enum JSONRPCResult: Sendable {
    /// A result value.
    case success(JSONValue)
    /// A result already serialized as one JSON value; written verbatim, unchecked.
    case raw([UInt8])
    /// An error response.
    case failure(JSONRPCError)
}

/// Delivers the answer of a deferred handler, from any thread, later.
///
/// Only the first answer counts; later ones are ignored. A responder released
/// without answering answers -32603 itself (and reports it to the server's
/// `onInternalError`), so a client is never left waiting forever.
public struct JSONRPCResponder: Sendable {
    let sink: ResponseSink

    /// Answers the call, e.g. `respond(.success(hash))`.
    public func callAsFunction(_ result: JSONRPCResult) {
        sink.respond(result)
    }

    /// Answers the call with `error` mapped the usual way (`JSONRPCError.init(_:)`).
    public func fail(_ error: any Error) {
        sink.fail(error)
    }

    /// Whether the client expects no response (the answer is discarded).
    public var isNotification: Bool { sink.id == nil }
}

/// Where a response goes: the whole reply of a single request, or one slot of a batch.
enum ResponseTarget: Sendable {
    case single(@Sendable ([UInt8]?) -> Void)
    case batch(BatchCollector, index: Int, id: JSONRPCID?)

    func deliver(_ response: [UInt8]?) {
        switch self {
        case .single(let completion): completion(response)
        case .batch(let collector, let index, let id): collector.complete(index, response, id: id)
        }
    }
}

/// The once-only state behind a `JSONRPCResponder`; safe to use from any thread.
final class ResponseSink: Sendable {
    let id: JSONRPCID?
    let method: String
    private let target: ResponseTarget
    private let report: (@Sendable (String, any Error) -> Void)?
    private let answered = Atomic<Bool>(false)

    init(id: JSONRPCID?, method: String, target: ResponseTarget, report: (@Sendable (String, any Error) -> Void)?) {
        self.id = id
        self.method = method
        self.target = target
        self.report = report
    }

    func respond(_ result: JSONRPCResult) {
        guard !answered.exchange(true, ordering: .acquiringAndReleasing) else { return }
        target.deliver(id.map { JSONRPCResponse.bytes(id: $0, result: result) })
    }

    /// Maps (and reports) `error` only when it is the first answer.
    func fail(_ error: any Error) {
        guard !answered.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let mapped = mapError(error, method: method, report: report)
        target.deliver(id.map { JSONRPCResponse.bytes(id: $0, result: .failure(mapped)) })
    }

    deinit {
        if !answered.load(ordering: .acquiring) {
            report?(method, JSONRPCDispatchError.responderDropped(method: method))
            target.deliver(id.map { JSONRPCResponse.bytes(id: $0, result: .failure(.internalError)) })
        }
    }
}

/// Maps a thrown error and reports those that are not `JSONRPCErrorConvertible`.
func mapError(_ error: any Error, method: String, report: (@Sendable (String, any Error) -> Void)?) -> JSONRPCError {
    if !(error is any JSONRPCErrorConvertible) { report?(method, error) }
    return JSONRPCError(error)
}
