import JSON
import JSONRPC
import Synchronization

/// An error that is not `JSONRPCErrorConvertible`: clients see -32603.
private enum HandlerFailure: Error { case boom }

/// The server under test, built once per process.
private enum Fixture {
    static let configuration = JSONRPCServer.Configuration(maxBatchSize: 8, limits: JSONLimits(maxDepth: 16))

    static let server: JSONRPCServer = {
        var router = JSONRPCRouter()
        router.register("echo") { call in .success(call.params.value ?? .null) }
        router.register("raw") { _ in .raw(Array("[1,{\"a\":null},\"\\u00e9\"]".utf8)) }
        router.register("fail") { call in
            if call.params.count > 0 { throw HandlerFailure.boom }
            throw JSONRPCError.server("nonce too low", data: call.params.value)
        }
        router.register("params") { call in .success(try call.params.required(0)) }
        router.registerDeferred("later") { call, respond in
            respond(.success(call.params.value ?? .null))
            respond(.failure(.internalError))
        }
        router.registerDeferred("drop") { _, _ in }
        router.registerDeferred("throw") { _, _ in throw HandlerFailure.boom }
        return JSONRPCServer(router: router, configuration: configuration)
    }()
}

/// Every body `handle` completed with, in order.
private final class Completions: Sendable {
    let bodies = Mutex<[[UInt8]?]>([])
}

/// libFuzzer entry for the JSON-RPC layer (scripts/fuzz): `JSONRPCServer.handle`
/// over a small router whose handlers answer, echo, throw, answer late,
/// answer twice or drop their responder. Properties: completion runs exactly
/// once, with a valid JSON response or nil; a body is refused with -32700
/// exactly when it is not valid JSON; every response object is a well-formed
/// 2.0 envelope; a batch gets at most one response per entry and one for
/// each entry that has an id or is not an object; nil only for
/// notifications; `echo` returns its params and the request's id.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    let completions = Completions()
    Fixture.server.handle(body: input) { body in completions.bodies.withLock { $0.append(body) } }
    let bodies = completions.bodies.withLock { $0 }
    check(bodies.count == 1, "completion ran \(bodies.count) times")
    let request = try? JSONParser.parse(input, limits: Fixture.configuration.limits)
    guard let body = bodies[0] else {
        check(request.map(isNotificationsOnly) == true, "no response to a body that is not only notifications")
        return 0
    }
    guard let response = try? JSONParser.parse(body) else {
        check(false, "response is not JSON: \(String(decoding: body, as: UTF8.self))")
        return 0
    }
    guard let request else {
        check(errorCode(response) == -32700, "invalid JSON not answered with -32700: \(response)")
        return 0
    }
    if case .array(let entries) = request, (1...Fixture.configuration.maxBatchSize).contains(entries.count) {
        guard case .array(let responses) = response else {
            check(false, "a batch answered with \(response)")
            return 0
        }
        let required = entries.count { $0.objectValue == nil || $0["id"] != nil }
        check(responses.count <= entries.count && responses.count >= required,
              "\(responses.count) responses to \(entries.count) entries, \(required) with ids")
        responses.forEach(checkEnvelope)
    } else {
        checkEnvelope(response)
        check(errorCode(response) != -32700, "valid JSON answered with -32700")
        if let params = echoed(request) {
            check(response["result"] == params && response["id"] == request["id"], "echo changed \(request) to \(response)")
        }
    }
    return 0
}

/// Checks `{"jsonrpc":"2.0","id":…}` with exactly one of `result` and `error`.
private func checkEnvelope(_ response: JSONValue) {
    guard case .object(let members) = response else {
        check(false, "response entry \(response) is not an object")
        return
    }
    let keys = members.map(\.key)
    check(response["jsonrpc"] == "2.0" && keys.count == 3 && keys.contains("id"), "malformed envelope \(response)")
    if let id = response["id"] {
        check(id.isNull || id.stringValue != nil || id.numberValue != nil, "id \(id)")
    }
    if let error = response["error"] {
        check(error["code"]?.intValue != nil && error["message"]?.stringValue != nil, "malformed error \(error)")
    } else {
        check(response["result"] != nil, "neither result nor error in \(response)")
    }
}

private func errorCode(_ response: JSONValue) -> Int? {
    response["error"]?["code"]?.intValue
}

/// Whether a request body holds only well-formed notifications (no id).
private func isNotificationsOnly(_ request: JSONValue) -> Bool {
    switch request {
    case .object: request["id"] == nil
    case .array(let entries): !entries.isEmpty && entries.allSatisfy { $0.objectValue != nil && $0["id"] == nil }
    default: false
    }
}

/// The params `echo` must return when `request` is a valid call of it with an id.
private func echoed(_ request: JSONValue) -> JSONValue? {
    guard request["jsonrpc"] == "2.0", request["method"] == "echo", let id = request["id"],
          id.isNull || id.stringValue != nil || id.numberValue != nil else { return nil }
    guard let params = request["params"] else { return .null }
    guard params.arrayValue != nil || params.objectValue != nil else { return nil }
    return params
}

/// Fails the run with `message` when `condition` is false, in every build
/// configuration (unlike `precondition`, which `-Ounchecked` removes).
private func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
