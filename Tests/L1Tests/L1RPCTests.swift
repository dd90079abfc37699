import Ethereum
import JSON
import JSONRPC
import Primitives
import Rollup
import Storage
import XCTest
@testable import L1

final class L1RPCTests: XCTestCase {
    let a = L1Fixture.addresses

    private func call(_ server: JSONRPCServer, _ method: String, _ params: JSONValue = []) -> JSONValue {
        let request: JSONValue = ["jsonrpc": "2.0", "id": 1, "method": .string(method), "params": params]
        let box = Box()
        server.handle(body: request.serialized()) { box.bytes = $0 ?? [] }
        return try! JSONParser.parse(box.bytes)
    }

    func testMethodsInProcess() throws {
        let node = try L1Node(configuration: L1Fixture.config, file: SimulatedLogFile())
        var router = JSONRPCRouter()
        L1Methods(node: node, now: { 1_000 }).register(into: &router)
        let server = JSONRPCServer(router: router)
        XCTAssertEqual(call(server, "l1_blockNumber")["result"], "0x0")
        XCTAssertEqual(call(server, "l1_mine", [3])["result"], ["first": "0x1", "last": "0x3"])
        XCTAssertEqual(call(server, "l1_getBlock", ["latest"])["result"]?["timestamp"], "0x3ea")
        XCTAssertEqual(call(server, "l1_getBlock", ["0x63"])["result"], .null)
        XCTAssertEqual(call(server, "l1_getBalance", [.string(a[0].hex)])["result"], .string((UInt256(10_000) * L1Fixture.ether).hexQuantity))
        let refused = call(server, "l1_forceInclude")["error"]
        XCTAssertEqual(refused?["code"], -32016)
        XCTAssertEqual(refused?["data"]?["reason"], "nothingOverdue")
        XCTAssertEqual(call(server, "l1_enqueueTransaction", ["0x"])["error"]?["code"], -32015)
        XCTAssertEqual(call(server, "l1_enqueueTransaction", ["0xzz"])["error"]?["code"], -32602)
        XCTAssertEqual(call(server, "l1_enqueueTransaction", ["0x0102"])["result"], ["queueIndex": "0x0", "deadline": "0xd"])
        let queue = call(server, "l1_getQueue")["result"]
        XCTAssertEqual(queue?["length"], "0x1")
        XCTAssertEqual(queue?["items"]?[0]?["raw"], "0x0102")
        XCTAssertEqual(call(server, "l1_deposit", [["from": .string(a[0].hex)]])["error"]?["code"], -32602)
        XCTAssertEqual(call(server, "l1_postBatch", ["0x01", "0x"])["error"]?["data"]?["reason"], "wrongSigner")
        XCTAssertEqual(call(server, "l1_getL2Head")["result"]?["number"], "0x0")
        XCTAssertEqual(call(server, "l1_getBatch", [0])["result"], .null)
    }

    func testHTTPClientOverLoopbackMatchesTheInProcessClientAndDerivationAgrees() throws {
        let node = try L1Node(configuration: L1Fixture.config, file: SimulatedLogFile())
        let server = L1Server(node: node, host: "127.0.0.1", port: 0, blockTime: .zero)
        try server.start()
        defer { server.shutdown() }
        let http = try XCTUnwrap(HTTPL1Client(url: "http://127.0.0.1:\(server.port)"))
        let local = LocalL1Client(node: node, now: { 0 })

        XCTAssertEqual(try http.parameters(), local.parameters())
        XCTAssertEqual(try http.parameters().sequencerAddress, L1Configuration.devSequencerAddress)
        _ = try http.mine(2)
        XCTAssertEqual(try http.blockNumber(), 2)
        XCTAssertEqual(try http.block(nil), try local.block(nil))
        XCTAssertEqual(try http.block(1), try local.block(1))

        let nonce = try http.nonce(of: a[1])
        let deposit = L1Fixture.depositRequest(from: 1, to: a[8], amount: UInt256(2) * L1Fixture.ether, nonce: nonce)
        XCTAssertEqual(try http.deposit(deposit), .enqueued(queueIndex: 0, deadline: 12))
        var viaHTTP: L1ClientError?, viaLocal: L1ClientError?
        do { _ = try http.deposit(deposit) } catch { viaHTTP = error }
        do { _ = try local.deposit(deposit) } catch { viaLocal = error }
        guard case .refused(-32012, _, "wrongNonce")? = viaHTTP else { return XCTFail("\(String(describing: viaHTTP))") }
        XCTAssertEqual(viaHTTP, viaLocal, "both clients report the same refusal")
        let exit = L1Fixture.transfer(from: 2, nonce: 0, to: ChainConfiguration.withdrawalAddress, value: L1Fixture.ether)
        XCTAssertEqual(try http.enqueueTransaction(exit.raw), .enqueued(queueIndex: 1, deadline: 12))
        XCTAssertEqual(try http.queue(from: 0, limit: 10), local.queue(from: 0, limit: 10))

        let derived = try L1Derivation.derive(from: http, configuration: L1Fixture.config)
        XCTAssertEqual(derived.queue.count, 2)
        let posted = try L1Fixture.batch(on: node.snapshot, txs: [L1Fixture.transfer(from: 0, nonce: 0, to: a[3], value: UInt256(9))], forced: 1)
        guard case .batchAccepted(0, _, 1, 1) = try http.postBatch(posted.bytes, signature: posted.signature) else { return XCTFail() }
        XCTAssertThrowsError(try http.postBatch(posted.bytes, signature: posted.signature)) {
            guard case .refused(-32010, _, "wrongParent") = $0 as? L1ClientError else { return XCTFail("\($0)") }
        }
        _ = try http.mine(10)
        XCTAssertEqual(try http.forceInclude(), .forceIncluded(inboxIndex: 1, l2BlockNumber: 2, items: 1))
        XCTAssertEqual(try http.inbox(from: 0, limit: 10), local.inbox(from: 0, limit: 10))

        let head = try http.l2Head()
        XCTAssertEqual(head, local.l2Head())
        XCTAssertEqual(head.l2BlockNumber, 2)
        XCTAssertEqual(head.finalizedL2Block, 1)

        let rebuilt = try L1Derivation.derive(from: http, configuration: L1Fixture.config)
        XCTAssertEqual(rebuilt.head, node.snapshot.canonical.head)
        XCTAssertEqual(rebuilt.state.root, head.stateRoot)
        XCTAssertEqual(rebuilt.state[a[8]].balance, UInt256(10_002) * L1Fixture.ether)

        let w = Withdrawal(l2BlockNumber: 2, index: 0, sender: a[2], recipient: a[2], amount: L1Fixture.ether, transactionHash: exit.hash)
        XCTAssertEqual(rebuilt.record(2)?.withdrawalsRoot, WithdrawalTree.root([w.leafHash]), "the forced exit is in block 2")
        XCTAssertThrowsError(try http.claimWithdrawal(w, proof: [])) {
            guard case .refused(_, _, "withdrawalNotFinal") = $0 as? L1ClientError else { return XCTFail("\($0)") }
        }
        _ = try http.mine(5)
        let before = try http.balance(of: a[2])
        XCTAssertEqual(try http.claimWithdrawal(w, proof: []), .claimed(recipient: a[2], amount: L1Fixture.ether))
        XCTAssertEqual(try http.balance(of: a[2]), before + L1Fixture.ether)
        XCTAssertThrowsError(try http.claimWithdrawal(w, proof: [])) {
            guard case .refused(-32020, _, "alreadyClaimed") = $0 as? L1ClientError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try HTTPL1Client(host: "127.0.0.1", port: 1).blockNumber()) {
            guard case .transport = $0 as? L1ClientError else { return XCTFail("\($0)") }
        }
    }
}

private final class Box: @unchecked Sendable {
    var bytes: [UInt8] = []
}
