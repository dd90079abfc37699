import Ethereum
import Foundation
import JSON
import L1
import Primitives
import Rollup
import Secp256k1
import Sequencer

/// The actors and the narration of one demonstration run.
final class Demo {
    let settings: DemoSettings
    let node: SequencerNode?
    let l1: any L1Client
    let l1Server: L1Server?
    let l1Configuration: L1Configuration
    let start = Date()
    var steps: [(what: String, l1: UInt64, l2: UInt64, seconds: Double)] = []
    let victimKey = DevAccounts.keys[3]
    let victim = DevAccounts.addresses[3]
    let bystanderKey = DevAccounts.keys[1]
    let recipient = DevAccounts.addresses[4]
    let gwei = UInt256(1_000_000_000)
    let ether = UInt256(1_000_000_000_000_000_000)

    init(settings: DemoSettings, sequencerDown: Bool) throws {
        self.settings = settings
        let dir = NSTemporaryDirectory() + "sequencer-demo-" + UUID().uuidString.prefix(8).lowercased()
        var config = NodeConfiguration()
        config.port = 0
        config.logging = false
        config.dataDirectory = dir
        config.blockTimeMillis = UInt64(settings.blockTime.components.seconds * 1000 + settings.blockTime.components.attoseconds / 1_000_000_000_000_000)
        config.batchLimits.maxAge = .milliseconds(300)
        config.l1PollInterval = .milliseconds(100)
        l1Configuration = config.l1Configuration(forceInclusionDelay: settings.forceDelay, finalityDepth: settings.finalityDepth)
        if sequencerDown {
            let l1Node = try L1Node(configuration: l1Configuration, directory: dir + "/l1")
            let server = L1Server(node: l1Node, host: "127.0.0.1", port: 0, blockTime: settings.l1BlockTime)
            try server.start()
            l1Server = server
            l1 = LocalL1Client(node: l1Node, now: { UInt64(Date().timeIntervalSince1970) })
            node = nil
        } else {
            config.censored = [victim]
            config.ignoreForcedQueue = settings.malicious
            config.l1 = .embedded(host: "127.0.0.1", port: 0, blockTime: settings.l1BlockTime,
                                  forceInclusionDelay: settings.forceDelay, finalityDepth: settings.finalityDepth)
            let n = try SequencerNode(configuration: config)
            try n.start()
            node = n
            l1Server = nil
            l1 = n.l1Client!
        }
    }

    func stop() {
        node?.shutdown()
        l1Server?.shutdown()
    }

    // MARK: narration

    var l1Number: UInt64 { (try? l1.blockNumber()) ?? 0 }
    var l2Number: UInt64 { node?.runtime.store.headNumber ?? ((try? l1.l2Head().l2BlockNumber) ?? 0) }

    func say(_ text: String, step: Bool = false) {
        let t = Date().timeIntervalSince(start)
        print(String(format: "[%6.2fs] L1 #%-4llu L2 #%-4llu ", t, l1Number, l2Number) + text)
        if step { steps.append((text, l1Number, l2Number, t)) }
    }

    func printSummary() {
        print("\nSummary")
        print("  time     L1 block  L2 block  what happened")
        for s in steps { print(String(format: "  %6.2fs  %8llu  %8llu  ", s.seconds, s.l1, s.l2, ) + s.what) }
    }

    /// Polls `condition` until it holds or the demo's timeout passes.
    func wait(_ what: String, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(Double(settings.timeout.components.seconds))
        while Date() < deadline {
            if (try? condition()) == true { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw DemoFailure(description: "timed out waiting for: \(what)")
    }

    // MARK: actions

    func transfer(_ key: Secp256k1.PrivateKey, nonce: UInt64, to: Address, value: UInt256, data: [UInt8] = []) -> SignedTransaction {
        let gas = UInt64(21_000 + data.reduce(0) { $0 + ($1 == 0 ? 4 : 16) })
        return Transaction(type: .dynamicFee, chainID: l1Configuration.chain.chainID, nonce: nonce, maxPriorityFeePerGas: UInt256(1_000_000),
                           maxFeePerGas: gwei, gasLimit: gas, to: to, value: value, data: data).signed(with: key)
    }

    /// Calls the sequencer's JSON-RPC method table (the same one HTTP serves).
    func rpc(_ method: String, _ params: String) throws -> JSONValue {
        guard let node else { throw DemoFailure(description: "no sequencer in this demo") }
        let done = DispatchSemaphore(value: 0)
        let box = Box()
        node.rpc.handle(body: Array(#"{"jsonrpc":"2.0","id":1,"method":"\#(method)","params":\#(params)}"#.utf8)) { body in
            box.value = body ?? []
            done.signal()
        }
        guard done.wait(timeout: .now() + 10) == .success, let v = try? JSONParser.parse(box.value) else {
            throw DemoFailure(description: "\(method) did not answer")
        }
        if let e = v["error"] { throw DemoFailure(description: "\(method) failed: \(e["message"]?.stringValue ?? "?")") }
        return v["result"] ?? .null
    }

    func send(_ tx: SignedTransaction) throws -> String {
        try rpc("eth_sendRawTransaction", #"["\#(Hex.encode(tx.raw))"]"#).stringValue ?? ""
    }

    func receiptBlock(_ hash: Hash32) -> UInt64? {
        guard let r = try? rpc("eth_getTransactionReceipt", #"["\#(hash)"]"#), r != .null,
              let n = r["blockNumber"]?.stringValue else { return nil }
        return UInt64(n.dropFirst(2), radix: 16)
    }

    func l2Balance(_ a: Address) -> UInt256 {
        (try? rpc("eth_getBalance", #"["\#(a.checksummed)","latest"]"#).stringValue).flatMap { UInt256(hexQuantity: $0) } ?? .zero
    }

    /// Claims the withdrawal `tx` made, with a proof built from the L2 block's withdrawals.
    func claim(withdrawalIn block: L2Block, of hash: Hash32) throws -> UInt256 {
        let withdrawals = block.withdrawals
        guard let index = withdrawals.firstIndex(where: { $0.transactionHash == hash }) else {
            throw DemoFailure(description: "block \(block.number) holds no withdrawal from \(hash)")
        }
        let proof = WithdrawalTree.proof(withdrawals.map(\.leafHash), index: index)
        _ = try l1.claimWithdrawal(withdrawals[index], proof: proof)
        return withdrawals[index].amount
    }
}

final class Box: @unchecked Sendable {
    // Written once by the answering thread before the semaphore is signalled.
    var value: [UInt8] = []
}
