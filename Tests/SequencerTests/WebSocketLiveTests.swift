import Ethereum
import Foundation
import Primitives
import TestSupport
import XCTest
@testable import Sequencer

/// JSON-RPC and subscriptions over WebSocket on a running node, with raw
/// socket clients: many subscribers get every head in order while one that
/// never reads is dropped; pending transactions and pre-confirmations; admin
/// methods need the upgrade request's bearer token.
final class WebSocketLiveTests: XCTestCase {
    private var node: SequencerNode!

    override func setUpWithError() throws {
        var config = NodeConfiguration()
        config.port = 0
        config.blockTimeMillis = 0
        config.adminToken = "test-token"
        config.logging = false
        config.eventLoops = 2
        config.dataDirectory = NSTemporaryDirectory() + "ws-live-" + UUID().uuidString
        node = try SequencerNode(configuration: config)
        try node.start()
    }

    override func tearDown() {
        node.shutdown()
        try? FileManager.default.removeItem(atPath: node.dataDirectory)
    }

    private func transfer(_ i: Int, nonce: UInt64) -> String {
        let t = Transaction(type: .dynamicFee, chainID: 31337, nonce: nonce, maxPriorityFeePerGas: UInt256(1),
                            maxFeePerGas: UInt256(1_000_000_000), gasLimit: 21_000, to: DevAccounts.addresses[9], value: UInt256(1))
        return Hex.encode(t.signed(with: DevAccounts.keys[i]).raw)
    }

    private func open(receiveBufferSize: Int32? = nil, authorization: String? = nil) throws -> WebSocketTestClient {
        let client = try WebSocketTestClient(port: node.port, timeout: 10, receiveBufferSize: receiveBufferSize)
        let response = try client.handshake(extra: authorization.map { ["Authorization: \($0)"] } ?? [])
        XCTAssertEqual(response.status, 101)
        return client
    }

    private func object(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
    }

    /// Sends one request and reads messages until its answer (notifications on the way are returned too).
    private func call(_ client: WebSocketTestClient, _ method: String, _ params: String = "[]", id: Int = 1) throws -> (answer: [String: Any], notifications: [[String: Any]]) {
        try client.sendText(#"{"jsonrpc":"2.0","id":\#(id),"method":"\#(method)","params":\#(params)}"#)
        var notifications: [[String: Any]] = []
        while true {
            let message = try object(try client.readText())
            if message["method"] as? String == "eth_subscription" {
                notifications.append(message)
            } else {
                XCTAssertEqual(message["id"] as? Int, id)
                return (message, notifications)
            }
        }
    }

    private func subscribe(_ client: WebSocketTestClient, _ params: String) throws -> String {
        let answer = try call(client, "eth_subscribe", params).answer
        return try XCTUnwrap(answer["result"] as? String, "\(answer)")
    }

    func testHundredSubscribersGetEveryHeadInOrderWhileANonReaderIsDropped() throws {
        let readers = try (0..<100).map { _ in try open() }
        var ids: [String] = []
        for reader in readers { ids.append(try subscribe(reader, #"["newHeads"]"#)) }
        XCTAssertEqual(Set(ids).count, 100, "distinct subscription ids")
        let stalled = try open(receiveBufferSize: 4096)
        for _ in 0..<128 { _ = try subscribe(stalled, #"["newHeads"]"#) }
        let refused = try call(stalled, "eth_subscribe", #"["newHeads"]"#).answer
        XCTAssertEqual((refused["error"] as? [String: Any])?["code"] as? Int, -32005, "per-connection limit: \(refused)")
        XCTAssertEqual(node.subscriptions.count, 228)

        let sender = try open()
        let first = node.runtime.store.headNumber + 1
        var nonce: UInt64 = 0
        while node.subscriptions.count > 100 && nonce < 400 {
            let answer = try call(sender, "eth_sendRawTransaction", #"["\#(transfer(1, nonce: nonce))"]"#).answer
            XCTAssertNotNil(answer["result"] as? String, "\(answer)")
            nonce += 1
            node.subscriptions.drain()
        }
        XCTAssertEqual(node.subscriptions.count, 100, "the connection that never reads lost its subscriptions")
        for _ in 0..<5 {
            _ = try call(sender, "eth_sendRawTransaction", #"["\#(transfer(1, nonce: nonce))"]"#)
            nonce += 1
        }
        let last = node.runtime.store.headNumber
        XCTAssertEqual(last - first + 1, nonce, "one block per transaction")
        print("WebSocketLiveTests: the non-reader was dropped after \(nonce - 5) blocks; \(readers.count) readers check \(nonce) heads")

        var sampleHead: (number: UInt64, text: String)?
        for (reader, id) in zip(readers, ids) {
            var expected = first
            var parent: String?
            while expected <= last {
                let text = try reader.readText()
                let message = try object(text)
                let params = try XCTUnwrap(message["params"] as? [String: Any])
                XCTAssertEqual(params["subscription"] as? String, id)
                let head = try XCTUnwrap(params["result"] as? [String: Any])
                let number = try XCTUnwrap((head["number"] as? String).flatMap { UInt64($0.dropFirst(2), radix: 16) })
                XCTAssertEqual(number, expected, "every head, in order")
                if let parent { XCTAssertEqual(head["parentHash"] as? String, parent) }
                parent = head["hash"] as? String
                if sampleHead == nil { sampleHead = (number, text) }
                expected += 1
            }
        }
        let (number, text) = try XCTUnwrap(sampleHead)
        let block = try call(sender, "eth_getBlockByNumber", #"["0x\#(String(number, radix: 16))",false]"#, id: 7).answer
        let head = try XCTUnwrap(((try object(text))["params"] as? [String: Any])?["result"] as? [String: Any])
        var full = try XCTUnwrap(block["result"] as? [String: Any])
        XCTAssertNotNil(full["transactions"])
        for key in ["transactions", "uncles", "size", "totalDifficulty", "l1OriginNumber", "l2WithdrawalsRoot"] { full[key] = nil }
        XCTAssertNil(head["transactions"], "a header, without the body")
        XCTAssertEqual(head as NSDictionary, full as NSDictionary, "the header fields are eth_getBlockByNumber's")
        _ = stalled
    }

    func testPendingTransactionsPreconfirmationsAndUnsubscribe() throws {
        let client = try open()
        let pending = try subscribe(client, #"["newPendingTransactions"]"#)
        let promises = try subscribe(client, #"["preconfirmations"]"#)
        let logs = try subscribe(client, #"["logs",{"address":"0x5FbDB2315678afecb367f032d93F642f64180aa3","topics":[null,["0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"]]}]"#)
        XCTAssertNotEqual(logs, pending)
        let sent = try call(client, "eth_sendRawTransaction", #"["\#(transfer(2, nonce: 0))"]"#, id: 2)
        let hash = try XCTUnwrap(sent.answer["result"] as? String)
        var seen = sent.notifications
        while seen.count < 2 { seen.append(try object(try client.readText())) }
        var bySubscription: [String: Any] = [:]
        for n in seen {
            let params = try XCTUnwrap(n["params"] as? [String: Any])
            bySubscription[try XCTUnwrap(params["subscription"] as? String)] = params["result"]
        }
        XCTAssertEqual(bySubscription[pending] as? String, hash, "the pending transaction's hash")
        let promise = try XCTUnwrap(bySubscription[promises] as? [String: Any])
        XCTAssertEqual(promise["txHash"] as? String, hash)
        XCTAssertEqual((promise["signature"] as? String)?.count, 132, "a signed pre-confirmation")
        XCTAssertNil(bySubscription[logs], "no contracts, no logs")

        XCTAssertEqual(try call(client, "eth_unsubscribe", #"["\#(pending)"]"#, id: 3).answer["result"] as? Bool, true)
        let again = try call(client, "eth_unsubscribe", #"["\#(pending)"]"#, id: 4).answer
        XCTAssertEqual((again["error"] as? [String: Any])?["message"] as? String, "subscription not found")
        let other = try open()
        XCTAssertNotNil(try call(other, "eth_unsubscribe", #"["\#(promises)"]"#).answer["error"], "only the owner unsubscribes")

        for bad in [#"["newBlocks"]"#, #"["logs",{"fromBlock":"0x1"}]"#, #"["logs",{"address":"0x12"}]"#, #"[]"#, #"["newHeads",{"x":1}]"#] {
            let answer = try call(client, "eth_subscribe", bad, id: 5).answer
            XCTAssertEqual((answer["error"] as? [String: Any])?["code"] as? Int, -32602, bad)
        }
        let batch = #"[{"jsonrpc":"2.0","id":10,"method":"eth_chainId"},{"jsonrpc":"2.0","id":11,"method":"eth_subscribe","params":["newHeads"]}]"#
        try client.sendText(batch)
        var answers = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try client.readText().utf8)) as? [[String: Any]])
        answers.sort { ($0["id"] as? Int ?? 0) < ($1["id"] as? Int ?? 0) }
        XCTAssertEqual(answers.first?["result"] as? String, "0x7a69")
        XCTAssertEqual((answers.last?["result"] as? String)?.count, 34, "a batch may subscribe too")

        try client.sendClose(code: 1000)
        XCTAssertEqual(try client.readFrame().closeCode, 1000)
        XCTAssertTrue(eventually { self.node.subscriptions.count == 0 }, "closing the connection drops its subscriptions")
    }

    func testAdminMethodsNeedTheUpgradeRequestsBearerToken() throws {
        let anonymous = try open()
        let refused = try call(anonymous, "admin_status").answer
        XCTAssertEqual((refused["error"] as? [String: Any])?["code"] as? Int, -32001, "\(refused)")
        let wrong = try open(authorization: "Bearer nope")
        XCTAssertNotNil(try call(wrong, "admin_status").answer["error"])
        let admin = try open(authorization: "Bearer test-token")
        let status = try XCTUnwrap(try call(admin, "admin_status").answer["result"] as? [String: Any])
        XCTAssertEqual(status["policy"] as? String, "fcfs")

        let bad = try WebSocketTestClient(port: node.port)
        XCTAssertEqual(try bad.handshake(fields: ["Host: x", "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13"]).status, 400)
    }

    private func eventually(timeout: Double = 5, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            usleep(5_000)
        }
        return condition()
    }
}
