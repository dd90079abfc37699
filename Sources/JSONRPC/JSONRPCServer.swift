import JSON

/// The one seam between transports and methods: the HTTP server, the WebSocket
/// endpoint and in-process tests all hand a request body to `handle` and get
/// back the response body.
///
/// Immutable after `init`, so any number of threads may call `handle` at once.
/// Handlers run on the calling thread; deferred ones answer from any thread.
public final class JSONRPCServer: Sendable {
    /// Limits on what one request body may contain.
    public struct Configuration: Sendable {
        /// The most entries a batch may have; a larger batch gets one -32600 error.
        public var maxBatchSize: Int
        /// The most bytes of answers one batch may gather; entries past it get -32003 "response too large"
        /// (geth's `BatchResponseMaxSize`), so a small request cannot make the server build a huge reply.
        public var maxBatchResponseBytes: Int
        /// Nesting depth and body size limits for the JSON parser.
        public var limits: JSONLimits

        /// Batches of up to 1,000 entries and 25 MB of answers, and the default parser limits unless told otherwise.
        public init(maxBatchSize: Int = 1_000, maxBatchResponseBytes: Int = 25_000_000, limits: JSONLimits = .default) {
            self.maxBatchSize = maxBatchSize
            self.maxBatchResponseBytes = maxBatchResponseBytes
            self.limits = limits
        }
    }

    /// The configuration in force.
    public let configuration: Configuration
    private let table: MethodTable
    private let onInternalError: (@Sendable (_ method: String, _ error: any Error) -> Void)?

    /// A server over the handlers in `router`. `onInternalError` sees every
    /// error that reached a client only as -32603 (for logging), with the method name.
    public init(router: JSONRPCRouter, configuration: Configuration = Configuration(),
                onInternalError: (@Sendable (_ method: String, _ error: any Error) -> Void)? = nil) {
        self.configuration = configuration
        table = MethodTable(router.entries)
        self.onInternalError = onInternalError
    }

    /// The registered method names, sorted.
    public var methodNames: [String] { table.entries.map(\.name).sorted() }

    /// Handles one request body (a single request or a batch) and calls
    /// `completion` exactly once with the response body, or nil when there is
    /// nothing to send (notifications only). `completion` runs on the calling
    /// thread when every handler answered synchronously, otherwise on the thread
    /// of the last deferred answer.
    public func handle(body: UnsafeRawBufferPointer, context: JSONRPCRequestContext = .none,
                       completion: @escaping @Sendable ([UInt8]?) -> Void) {
        let envelope = JSONRPCEnvelope.parse(body, table: table, limits: configuration.limits,
                                             maxBatchSize: configuration.maxBatchSize)
        switch consume envelope {
        case .failure(let error):
            completion(JSONRPCResponse.error(error, id: nil))
        case .single(let request):
            dispatchSingle(request, context: context, completion: completion)
        case .batch(let requests):
            let limit = configuration.maxBatchResponseBytes
            let collector = BatchCollector(count: requests.count, maxBytes: limit, completion: completion)
            for (index, request) in requests.enumerated() {
                let target = ResponseTarget.batch(collector, index: index, id: request.id)
                if request.id != nil, collector.isFull {
                    target.deliver(JSONRPCResponse.error(.responseTooLarge(limit: limit), id: request.id))
                } else {
                    dispatch(request, context: context, target: target)
                }
            }
        }
    }

    /// Handles one request body given as an array; see `handle(body:context:completion:)`.
    public func handle(body: [UInt8], context: JSONRPCRequestContext = .none,
                       completion: @escaping @Sendable ([UInt8]?) -> Void) {
        body.withUnsafeBytes { handle(body: $0, context: context, completion: completion) }
    }

    /// The fast path: a synchronous handler's answer is written straight to
    /// `completion`, with no sink, collector or lock.
    private func dispatchSingle(_ request: JSONRPCRequest, context: JSONRPCRequestContext,
                                completion: @escaping @Sendable ([UInt8]?) -> Void) {
        if case .known(let i) = request.method, request.problem == nil, case .sync(let handler) = table.entries[i].kind {
            let entry = table.entries[i]
            let call = JSONRPCCall(method: entry.name, params: JSONRPCParams(request.params), id: request.id, context: context)
            let result: JSONRPCResult
            do {
                result = try handler(call)
            } catch {
                result = .failure(mapError(error, method: entry.name, report: onInternalError))
            }
            completion(request.id.map { JSONRPCResponse.bytes(id: $0, result: result) })
            return
        }
        dispatch(request, context: context, target: .single(completion))
    }

    private func dispatch(_ request: JSONRPCRequest, context: JSONRPCRequestContext, target: ResponseTarget) {
        if let problem = request.problem {
            target.deliver(JSONRPCResponse.error(problem, id: request.id))
            return
        }
        switch request.method {
        case .known(let i):
            let entry = table.entries[i]
            let call = JSONRPCCall(method: entry.name, params: JSONRPCParams(request.params), id: request.id, context: context)
            switch entry.kind {
            case .sync(let handler):
                let result: JSONRPCResult
                do {
                    result = try handler(call)
                } catch {
                    result = .failure(mapError(error, method: entry.name, report: onInternalError))
                }
                target.deliver(request.id.map { JSONRPCResponse.bytes(id: $0, result: result) })
            case .deferred(let handler):
                let sink = ResponseSink(id: request.id, method: entry.name, target: target, report: onInternalError)
                do {
                    try handler(call, JSONRPCResponder(sink: sink))
                } catch {
                    sink.fail(error)
                }
            }
        case .unknown(let name):
            target.deliver(request.id.map { JSONRPCResponse.error(.methodNotFound(name), id: $0) })
        case .absent, .notAString:
            target.deliver(JSONRPCResponse.error(.invalidRequest("missing method"), id: request.id))
        }
    }
}
