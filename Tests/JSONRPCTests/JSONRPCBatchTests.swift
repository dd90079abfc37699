import Dispatch
import Foundation
import JSON
import JSONRPC
import Synchronization
import Testing

@Suite struct JSONRPCBatchTests {
    let server = JSONRPCServer(router: makeRouter())

    @Test func mixedBatchKeepsOrderAndDropsNotifications() {
        let body = """
        [{"jsonrpc":"2.0","id":1,"method":"sum","params":[1,2]},
         {"jsonrpc":"2.0","method":"echo","params":[0]},
         {"jsonrpc":"2.0","id":"b","method":"later","params":[30]},
         {"jsonrpc":"2.0","id":2,"method":"no_such"},
         {"jsonrpc":"1.0","id":3,"method":"sum"},
         7,
         {"jsonrpc":"2.0","id":4,"method":"nonce"},
         {"jsonrpc":"2.0","id":5,"method":"later","params":[1]},
         {"jsonrpc":"2.0","id":6,"method":"sum","params":["x"]}]
        """
        let expected = "[" + [
            #"{"jsonrpc":"2.0","id":1,"result":3}"#,
            #"{"jsonrpc":"2.0","id":"b","result":30}"#,
            #"{"jsonrpc":"2.0","id":2,"error":{"code":-32601,"message":"the method no_such does not exist/is not available"}}"#,
            #"{"jsonrpc":"2.0","id":3,"error":{"code":-32600,"message":"invalid request: jsonrpc must be \"2.0\""}}"#,
            #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request: expected a request object"}}"#,
            #"{"jsonrpc":"2.0","id":4,"error":{"code":-32000,"message":"nonce too low","data":{"expected":5,"got":3}}}"#,
            #"{"jsonrpc":"2.0","id":5,"result":1}"#,
            #"{"jsonrpc":"2.0","id":6,"error":{"code":-32602,"message":"invalid argument 0: expected an integer, got string"}}"#,
        ].joined(separator: ",") + "]"
        #expect(server.send(body) == expected)
    }

    @Test func batchWhoseItemsCompleteOutOfOrderOnOtherThreads() {
        let gates = Gates(count: 8)
        var router = JSONRPCRouter()
        router.registerDeferred("gated") { call, respond in
            let i = try call.params.int(0)
            Thread.detachNewThread {
                gates.wait(i)
                respond(.success(.number(JSONNumber(i))))
                gates.open(i - 1)
            }
        }
        router.register("now") { _ in .success("now") }
        let server = JSONRPCServer(router: router)
        var items: [String] = []
        for i in 0..<8 {
            items.append(#"{"jsonrpc":"2.0","id":"# + "\(i)" + #","method":"gated","params":["# + "\(i)" + "]}")
            if i % 3 == 0 { items.append(#"{"jsonrpc":"2.0","id":"s\#(i)","method":"now"}"#) }
        }
        let reply = Reply()
        server.handle(body: Array(("[" + items.joined(separator: ",") + "]").utf8), completion: reply.completion)
        #expect(reply.calls == 0, "the batch waits for its deferred items")
        gates.open(7)
        let response = reply.wait()
        var expected: [String] = []
        for i in 0..<8 {
            expected.append(#"{"jsonrpc":"2.0","id":\#(i),"result":\#(i)}"#)
            if i % 3 == 0 { expected.append(#"{"jsonrpc":"2.0","id":"s\#(i)","result":"now"}"#) }
        }
        #expect(response == "[" + expected.joined(separator: ",") + "]")
        #expect(gates.order == [7, 6, 5, 4, 3, 2, 1, 0])
        #expect(reply.calls == 1)
    }

    @Test func deferredSingleFromAnotherThread() {
        #expect(server.send(#"{"jsonrpc":"2.0","id":1,"method":"later","params":[20]}"#) == #"{"jsonrpc":"2.0","id":1,"result":20}"#)
    }

    @Test func deferredEdgeCases() {
        let log = ReportLog()
        var router = JSONRPCRouter()
        router.registerDeferred("twice") { _, respond in
            respond(.success(1))
            respond(.success(2))
            respond.fail(SecretInternalFailure())
        }
        router.registerDeferred("throwsFirst") { _, _ in throw AdmissionError.insufficientFunds }
        router.registerDeferred("drops") { _, _ in }
        router.registerDeferred("failsLater") { _, respond in
            deferredAnswers.async { respond.fail(AdmissionError.nonceTooLow(expected: 1, got: 0)) }
        }
        router.registerDeferred("raw") { _, respond in
            var w = JSONWriter()
            w.writeHexBytes([0xDE, 0xAD])
            respond(.raw(w.bytes))
        }
        let server = JSONRPCServer(router: router) { method, error in log.add("\(method): \(error)") }
        #expect(server.send(#"{"jsonrpc":"2.0","id":1,"method":"twice"}"#) == #"{"jsonrpc":"2.0","id":1,"result":1}"#)
        #expect(server.send(#"{"jsonrpc":"2.0","id":1,"method":"throwsFirst"}"#)
            == #"{"jsonrpc":"2.0","id":1,"error":{"code":-32003,"message":"insufficient funds for gas * price + value"}}"#)
        #expect(server.send(#"{"jsonrpc":"2.0","id":1,"method":"drops"}"#)
            == #"{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"internal error"}}"#)
        #expect(log.entries == ["drops: responderDropped(method: \"drops\")"])
        #expect(server.send(#"{"jsonrpc":"2.0","id":1,"method":"failsLater"}"#)
            == #"{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"nonce too low","data":{"expected":1,"got":0}}}"#)
        #expect(server.send(#"{"jsonrpc":"2.0","id":1,"method":"raw"}"#) == #"{"jsonrpc":"2.0","id":1,"result":"0xdead"}"#)
        #expect(server.send(#"[{"jsonrpc":"2.0","id":1,"method":"drops"},{"jsonrpc":"2.0","id":2,"method":"twice"}]"#)
            == #"[{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"internal error"}},{"jsonrpc":"2.0","id":2,"result":1}]"#)
    }

    @Test func batchSizeLimit() {
        let small = JSONRPCServer(router: makeRouter(), configuration: .init(maxBatchSize: 3))
        let item = #"{"jsonrpc":"2.0","id":1,"method":"sum","params":[1]}"#
        #expect(small.send("[" + Array(repeating: item, count: 3).joined(separator: ",") + "]")
            == "[" + Array(repeating: #"{"jsonrpc":"2.0","id":1,"result":1}"#, count: 3).joined(separator: ",") + "]")
        #expect(small.send("[" + Array(repeating: item, count: 4).joined(separator: ",") + "]")
            == #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request: batch of 4 requests exceeds the limit of 3"}}"#)
        #expect(small.send("[" + Array(repeating: item, count: 4).joined(separator: ",") + ",]").contains("-32700"),
                "a parse error after the limit is still a parse error")

        let notification = #"{"jsonrpc":"2.0","method":"sum","params":[1]}"#
        #expect(server.send("[" + Array(repeating: notification, count: 1_000).joined(separator: ",") + "]") == "<none>")
        #expect(server.send("[" + Array(repeating: notification, count: 1_001).joined(separator: ",") + "]")
            == #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request: batch of 1001 requests exceeds the limit of 1000"}}"#)
    }

    @Test func concurrentCallersEachGetTheirOwnAnswer() {
        let failures = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 400) { i in
            let body: String
            let expected: String
            switch i % 3 {
            case 0:
                body = #"{"jsonrpc":"2.0","id":\#(i),"method":"sum","params":[\#(i),1]}"#
                expected = #"{"jsonrpc":"2.0","id":\#(i),"result":\#(i + 1)}"#
            case 1:
                body = #"{"jsonrpc":"2.0","id":\#(i),"method":"later","params":[\#(i % 5)]}"#
                expected = #"{"jsonrpc":"2.0","id":\#(i),"result":\#(i % 5)}"#
            default:
                body = #"[{"jsonrpc":"2.0","id":\#(i),"method":"later","params":[2]},{"jsonrpc":"2.0","id":"x","method":"sum","params":[\#(i)]}]"#
                expected = #"[{"jsonrpc":"2.0","id":\#(i),"result":2},{"jsonrpc":"2.0","id":"x","result":\#(i)}]"#
            }
            let reply = Reply()
            server.handle(body: Array(body.utf8), completion: reply.completion)
            if reply.wait() != expected || reply.calls != 1 { failures.add(1, ordering: .relaxed) }
        }
        #expect(failures.load(ordering: .relaxed) == 0)
    }
}

/// Semaphores that let a test decide the order in which deferred answers arrive.
final class Gates: Sendable {
    private let semaphores: [DispatchSemaphore]
    private let opened = Mutex<[Int]>([])

    init(count: Int) { semaphores = (0..<count).map { _ in DispatchSemaphore(value: 0) } }

    func wait(_ i: Int) {
        semaphores[i].wait()
        opened.withLock { $0.append(i) }
    }

    func open(_ i: Int) {
        if i >= 0 { semaphores[i].signal() }
    }

    var order: [Int] { opened.withLock { $0 } }
}
