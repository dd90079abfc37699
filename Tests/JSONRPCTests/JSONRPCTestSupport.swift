import Dispatch
import JSON
import JSONRPC
import Synchronization
import Testing

/// Collects the completions of `JSONRPCServer.handle` so tests can wait for
/// deferred answers and check that completion ran exactly once.
final class Reply: Sendable {
    private let state = Mutex<(calls: Int, body: [UInt8]?)>((0, nil))
    private let done = DispatchSemaphore(value: 0)

    var completion: @Sendable ([UInt8]?) -> Void {
        { body in
            self.state.withLock { s in
                s.calls += 1
                s.body = body
            }
            self.done.signal()
        }
    }

    /// Waits for the first completion and returns the body as text ("<none>" when nil).
    func wait(seconds: Double = 5) -> String {
        guard done.wait(timeout: .now() + seconds) == .success else { return "<timeout>" }
        return state.withLock { s in s.body.map { String(decoding: $0, as: UTF8.self) } ?? "<none>" }
    }

    var calls: Int { state.withLock { $0.calls } }
}

extension JSONRPCServer {
    /// Sends `body` and waits for the response text; "<none>" when there is no response body.
    func send(_ body: String, context: JSONRPCRequestContext = .none, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        let reply = Reply()
        handle(body: Array(body.utf8), context: context, completion: reply.completion)
        let text = reply.wait()
        #expect(reply.calls == 1, "completion must run exactly once", sourceLocation: sourceLocation)
        return text
    }
}

/// A domain error as the sequencer will have them: mapped to JSON-RPC in its own conformance.
enum AdmissionError: Error, JSONRPCErrorConvertible {
    case nonceTooLow(expected: UInt64, got: UInt64)
    case insufficientFunds

    var jsonRPCError: JSONRPCError {
        switch self {
        case let .nonceTooLow(expected, got):
            .server("nonce too low", data: ["expected": .number(JSONNumber(expected)), "got": .number(JSONNumber(got))])
        case .insufficientFunds:
            .server("insufficient funds for gas * price + value", code: -32003)
        }
    }
}

/// An error that must never reach clients in detail.
struct SecretInternalFailure: Error, CustomStringConvertible {
    var description: String { "disk /dev/vda exploded at /var/lib/secret" }
}

/// Where deferred handlers answer from: a serial queue targets the overcommit
/// pool, so it gets a thread even while test workers block on semaphores.
let deferredAnswers = DispatchQueue(label: "jsonrpc-tests.deferred")

/// A router with the kinds of methods the tests need.
func makeRouter() -> JSONRPCRouter {
    var router = JSONRPCRouter()
    router.register("eth_chainId") { _ in
        var w = JSONWriter(capacity: 16)
        w.writeHexQuantity(420)
        return .raw(w.bytes)
    }
    router.register("echo") { call in .success(call.params.value ?? .null) }
    router.register("sum") { call in
        var total = 0
        for i in 0..<call.params.count { total += try call.params.int(i) }
        return .success(.number(JSONNumber(total)))
    }
    router.register("eth_getBalance") { call in
        try call.params.expectAtMost(2)
        let address = try call.params.hexData(0)
        let block = try call.params.optional(1)?.stringValue ?? "latest"
        return .success(["bytes": .number(JSONNumber(address.count)), "block": .string(block)])
    }
    router.register("blockAt") { call in
        .success(.number(JSONNumber(try call.params.quantity(0))))
    }
    router.register("nonce") { _ in throw AdmissionError.nonceTooLow(expected: 5, got: 3) }
    router.register("poor") { _ in throw AdmissionError.insufficientFunds }
    router.register("explode") { _ in throw SecretInternalFailure() }
    router.register("fail") { _ in .failure(.server("custom failure", code: -32050)) }
    router.register("admin_pause") { call in
        guard call.context.authorization == "Bearer s3cret" else {
            throw JSONRPCError(code: -32001, message: "unauthorized")
        }
        return .success(true)
    }
    router.registerDeferred("later") { call, respond in
        let delayMS = (try? call.params.int(0)) ?? 10
        deferredAnswers.asyncAfter(deadline: .now() + .milliseconds(delayMS)) {
            respond(.success(.number(JSONNumber(delayMS))))
        }
    }
    return router
}
