import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTP
import JSON
import JSONRPC
import Testing

/// The same JSON-RPC behaviour as the in-process tests, over a real loopback
/// socket with a real HTTP client (URLSession, libcurl underneath).
@Suite(.serialized)
struct JSONRPCOverHTTPTests {
    final class Live: Sendable {
        let server: HTTPServer
        let url: URL

        init() throws {
            var router = JSONRPCRouter()
            router.register("eth_chainId") { _ in .success(.string("0x7a69")) }
            router.register("echo") { call in .success(call.params.value ?? .null) }
            router.register("fail") { _ in throw AdmissionError.nonceTooLow(expected: 3, got: 1) }
            router.register("crash") { _ in throw SecretInternalFailure() }
            router.registerDeferred("later") { call, respond in
                DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(20)) {
                    respond(.success(.string("done")))
                }
            }
            let rpc = JSONRPCServer(router: router, configuration: .init(maxBatchSize: 10))
            var config = HTTPServer.Configuration(host: "127.0.0.1", port: 0, eventLoopCount: 2)
            config.maxBodyBytes = 64 * 1024
            server = HTTPServer(configuration: config, responder: JSONRPCHTTPResponder(server: rpc))
            try server.start()
            url = URL(string: "http://127.0.0.1:\(server.port)/")!
        }

        deinit { server.shutdown() }

        /// POSTs `body`; returns status and response text.
        func post(_ body: String, method: String = "POST") -> (status: Int, body: String) {
            var request = URLRequest(url: url)
            request.httpMethod = method
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            let box = LockedBox((0, ""))
            let done = DispatchSemaphore(value: 0)
            URLSession.shared.dataTask(with: request) { data, response, _ in
                box.set(((response as? HTTPURLResponse)?.statusCode ?? -1, data.map { String(decoding: $0, as: UTF8.self) } ?? ""))
                done.signal()
            }.resume()
            _ = done.wait(timeout: .now() + 10)
            return box.get()
        }
    }

    @Test func singleCallsAndIdsOfEveryKindAreEchoed() throws {
        let live = try Live()
        #expect(live.post(#"{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}"#).body == #"{"jsonrpc":"2.0","id":1,"result":"0x7a69"}"#)
        for id in [#""abc""#, "123456789012345678901234567890", "-5", "1.5", "null", #""\u00e9""#] {
            let r = live.post(#"{"jsonrpc":"2.0","id":\#(id),"method":"eth_chainId"}"#)
            #expect(r.status == 200)
            #expect(r.body == #"{"jsonrpc":"2.0","id":\#(id),"result":"0x7a69"}"#)
        }
    }

    @Test func batchesKeepOrderAndNotificationsGetNoAnswer() throws {
        let live = try Live()
        let r = live.post(#"[{"jsonrpc":"2.0","id":1,"method":"later"},{"jsonrpc":"2.0","method":"echo","params":[1]},{"jsonrpc":"2.0","id":2,"method":"echo","params":[true]},{"jsonrpc":"2.0","id":3,"method":"nope"}]"#)
        #expect(r.status == 200)
        #expect(r.body == #"[{"jsonrpc":"2.0","id":1,"result":"done"},{"jsonrpc":"2.0","id":2,"result":[true]},{"jsonrpc":"2.0","id":3,"error":{"code":-32601,"message":"the method nope does not exist/is not available"}}]"#)
        let onlyNotifications = live.post(#"[{"jsonrpc":"2.0","method":"echo"},{"jsonrpc":"2.0","method":"echo"}]"#)
        #expect(onlyNotifications.status == 204)
        #expect(onlyNotifications.body == "")
        let tooMany = live.post("[" + Array(repeating: #"{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}"#, count: 11).joined(separator: ",") + "]")
        #expect(tooMany.body.contains("-32600"))
        #expect(tooMany.body.contains("exceeds the limit of 10"))
    }

    @Test func everyErrorCodeReachesTheClient() throws {
        let live = try Live()
        #expect(live.post(#"{"jsonrpc":"2.0","id":1,"method""#).body.contains(#""code":-32700"#))
        #expect(live.post(#"{"jsonrpc":"1.0","id":1,"method":"eth_chainId"}"#).body.contains(#""code":-32600"#))
        #expect(live.post(#"{"jsonrpc":"2.0","id":1,"method":5}"#).body.contains(#""code":-32600"#))
        #expect(live.post("[]").body.contains(#""code":-32600"#))
        #expect(live.post(#"{"jsonrpc":"2.0","id":1,"method":"missing"}"#).body.contains(#""code":-32601"#))
        #expect(live.post(#"{"jsonrpc":"2.0","id":1,"method":"echo","params":5}"#).body.contains("-3260"))
        let domain = live.post(#"{"jsonrpc":"2.0","id":1,"method":"fail"}"#).body
        #expect(domain.contains(#""code":-32000"#) && domain.contains("nonce too low") && domain.contains(#""expected":3"#))
        let hidden = live.post(#"{"jsonrpc":"2.0","id":1,"method":"crash"}"#).body
        #expect(hidden.contains(#""code":-32603"#))
        #expect(!hidden.contains("/var/lib/secret"), "internal details never leak")
    }

    @Test func httpLevelRefusalsStayHTTP() throws {
        let live = try Live()
        #expect(live.post("", method: "GET").status == 405)
        let huge = live.post(#"{"jsonrpc":"2.0","id":1,"method":"echo","params":[""# + String(repeating: "a", count: 100_000) + #""]}"#)
        #expect(huge.status == 413)
        #expect(live.post(#"{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}"#).status == 200, "the server stays up")
    }
}

/// A value guarded by a lock, for a URLSession callback to hand back.
final class LockedBox<T: Sendable>: @unchecked Sendable {
    // Guards `value`.
    private let lock = NSLock()
    private var value: T
    init(_ v: T) { value = v }
    func set(_ v: T) { lock.lock(); value = v; lock.unlock() }
    func get() -> T { lock.lock(); defer { lock.unlock() }; return value }
}
