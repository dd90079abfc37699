import Dispatch
import Ethereum
import Foundation
import JSON
import Primitives
import Synchronization

/// `eth_sendRawTransactionSync` latency against a running node: `--clients`
/// threads, each with its own sender and keep-alive connection, send
/// `--count` pre-signed transfers one after another and time each call from
/// the write to the receipt. Prints p50/p99/max.
///
///     swift run -c release bench sync --url http://127.0.0.1:P [--clients 8] [--count 40]
func runSyncSendBench() {
    do {
        try SyncSendBench(arguments: CommandLine.arguments).run()
    } catch {
        print("  sync: \(error)")
        exit(1)
    }
}

private struct SyncSendBench {
    var node = try! NodeAddress(url: "http://127.0.0.1:8545")
    var clients = 8
    var count = 40

    init(arguments: [String]) throws {
        var i = 1
        while i < arguments.count {
            let value = i + 1 < arguments.count ? arguments[i + 1] : ""
            switch arguments[i] {
            case "--url": node = try NodeAddress(url: value); i += 1
            case "--clients": clients = max(1, Int(value) ?? clients); i += 1
            case "--count": count = max(1, Int(value) ?? count); i += 1
            default: break
            }
            i += 1
        }
    }

    func run() throws {
        let control = try LoadConnection(node)
        guard let chainHex = try control.call("eth_chainId").stringValue, let chainID = UInt256(hexQuantity: chainHex)?.uint64 else {
            throw LoadError.rpcFailed(method: "eth_chainId", answer: "not a quantity")
        }
        let keys = LoadSenders.keys(seed: "sync-bench-\(monotonicNanos())", count: clients)
        let addresses = keys.map { Address(publicKey: $0.publicKey) }
        let need = UInt256(UInt64(count + 1)) * (UInt256(GasCost.transaction) * LoadPlan.maxFeePerGas + LoadPlan.value)
        _ = try LoadSenders.fund(addresses, need: need, chainID: chainID, via: control)
        let nonces = try LoadSenders.nonces(of: addresses, via: control)
        let bodies: [[String]] = (0..<clients).map { c in
            (0..<count).map { k in
                let tx = Transaction(type: .dynamicFee, chainID: chainID, nonce: nonces[c] + UInt64(k),
                                     maxPriorityFeePerGas: LoadPlan.tip, maxFeePerGas: LoadPlan.maxFeePerGas,
                                     gasLimit: GasCost.transaction, to: DevAccounts.addresses[k % 10], value: LoadPlan.value).signed(with: keys[c])
                return "[\"\(Hex.encode(tx.raw))\", 10000]"
            }
        }
        let samples = Mutex<[Double]>([])
        let failures = Mutex<[String]>([])
        let start = monotonicNanos()
        DispatchQueue.concurrentPerform(iterations: clients) { c in
            do {
                let connection = try LoadConnection(node)
                var mine: [Double] = []
                for params in bodies[c] {
                    let t0 = monotonicNanos()
                    let receipt = try connection.call("eth_sendRawTransactionSync", params)
                    guard receipt["status"]?.stringValue == "0x1" else { throw LoadError.rpcFailed(method: "sync", answer: "\(receipt)") }
                    mine.append(Double(monotonicNanos() - t0) / 1e6)
                }
                samples.withLock { $0 += mine }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        let seconds = Double(monotonicNanos() - start) / 1e9
        let sorted = samples.withLock { $0 }.sorted()
        let failed = failures.withLock { $0 }
        print("  eth_sendRawTransactionSync: \(sorted.count) calls from \(clients) clients in \(format(seconds))s;"
              + " p50 \(format(quantile(sorted, 0.5), 3)) ms, p99 \(format(quantile(sorted, 0.99), 3)) ms, max \(format(sorted.last ?? .nan, 3)) ms")
        print("  result p50_ms=\(format(quantile(sorted, 0.5), 3)) p99_ms=\(format(quantile(sorted, 0.99), 3)) calls=\(sorted.count) failures=\(failed.count)")
        if let first = failed.first { throw LoadError.rpcFailed(method: "eth_sendRawTransactionSync", answer: first) }
    }
}
