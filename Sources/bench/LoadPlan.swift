import Dispatch
import Glibc
import Ethereum
import Hashing
import JSON
import Primitives
import Secp256k1
import Synchronization

/// The transactions of one load run, signed before any timing starts:
/// transaction `i` comes from sender `i % senders` with that sender's next
/// nonce, and travels on connection `(i % senders) % connections`, so each
/// sender's nonces reach the node in order on one connection.
struct LoadPlan {
    /// Every transfer pays at most this per gas. Far above the 0.01 gwei floor
    /// because under sustained overload EIP-1559 raises the base fee by up to
    /// 12.5% per full block (×360 over 50 full blocks).
    static let maxFeePerGas = UInt256(1_000_000_000_000)
    static let tip = UInt256(1_000_000)
    static let value = UInt256(1)

    let senders: Int
    let connections: Int
    /// Complete HTTP requests, by transaction index.
    let requests: [[UInt8]]
    let hashes: [Hash32]

    var count: Int { requests.count }

    func sender(of index: Int) -> Int { index % senders }
    func connection(of index: Int) -> Int { (index % senders) % connections }

    /// The transaction indices each connection carries, in sending order.
    var indicesByConnection: [[Int]] {
        var out = [[Int]](repeating: [], count: connections)
        for c in 0..<connections { out[c].reserveCapacity(count / connections + 1) }
        for i in 0..<count { out[connection(of: i)].append(i) }
        return out
    }

    /// Signs `count` transfers (rounded up to a multiple of the senders) on all cores.
    init(keys: [Secp256k1.PrivateKey], firstNonces: [UInt64], count: Int, connections: Int, chainID: UInt64,
         method: String, node: NodeAddress) {
        let senders = keys.count
        let perSender = (count + senders - 1) / senders
        let recipients = DevAccounts.addresses
        let signed = Mutex<[[(request: [UInt8], hash: Hash32)]]>(Array(repeating: [], count: senders))
        DispatchQueue.concurrentPerform(iterations: senders) { s in
            var mine: [(request: [UInt8], hash: Hash32)] = []
            mine.reserveCapacity(perSender)
            for k in 0..<perSender {
                let tx = Transaction(type: .dynamicFee, chainID: chainID, nonce: firstNonces[s] + UInt64(k),
                                     maxPriorityFeePerGas: Self.tip, maxFeePerGas: Self.maxFeePerGas,
                                     gasLimit: GasCost.transaction, to: recipients[(s + k) % recipients.count],
                                     value: Self.value).signed(with: keys[s])
                let id = k * senders + s
                let body = #"{"jsonrpc":"2.0","id":\#(id),"method":"\#(method)","params":["\#(Hex.encode(tx.raw))"]}"#
                mine.append((Array(LoadConnection.request(host: node.host, port: node.port, body: body).utf8), tx.hash))
            }
            signed.withLock { $0[s] = mine }
        }
        let bySender = signed.withLock { $0 }
        var requests: [[UInt8]] = []
        var hashes: [Hash32] = []
        requests.reserveCapacity(perSender * senders)
        hashes.reserveCapacity(perSender * senders)
        for k in 0..<perSender {
            for s in 0..<senders {
                requests.append(bySender[s][k].request)
                hashes.append(bySender[s][k].hash)
            }
        }
        self.senders = senders
        self.connections = connections
        self.requests = requests
        self.hashes = hashes
    }
}

/// The load's sender accounts: keys derived from a seed, funded from the dev accounts.
enum LoadSenders {
    /// `keccak256("sequencer-load/<seed>/<i>")` for i in 0..<count.
    static func keys(seed: String, count: Int) -> [Secp256k1.PrivateKey] {
        (0..<count).map { i in
            var attempt = 0
            while true {
                let material = Keccak256.hash(Array("sequencer-load/\(seed)/\(i)\(attempt == 0 ? "" : "/\(attempt)")".utf8))
                if let key = try? Secp256k1.PrivateKey(bytes: material.bytes) { return key }
                attempt += 1
            }
        }
    }

    /// Each sender's next nonce, counting what the node has queued.
    static func nonces(of addresses: [Address], via connection: LoadConnection) throws -> [UInt64] {
        try addresses.map { a in
            let v = try connection.call("eth_getTransactionCount", #"["\#(a)","pending"]"#)
            guard let s = v.stringValue, let n = UInt256(hexQuantity: s)?.uint64 else {
                throw LoadError.rpcFailed(method: "eth_getTransactionCount", answer: "\(v)")
            }
            return n
        }
    }

    static func balance(of address: Address, tag: String, via connection: LoadConnection) throws -> UInt256 {
        let v = try connection.call("eth_getBalance", #"["\#(address)","\#(tag)"]"#)
        guard let s = v.stringValue, let b = UInt256(hexQuantity: s) else {
            throw LoadError.rpcFailed(method: "eth_getBalance", answer: "\(v)")
        }
        return b
    }

    /// Tops every sender up to `need` wei from the dev accounts with ordinary
    /// transfers, then waits until the latest sealed block shows the balances.
    static func fund(_ addresses: [Address], need: UInt256, chainID: UInt64, via connection: LoadConnection,
                     timeoutSeconds: Double = 20) throws -> Int {
        let devs = DevAccounts.keys.count
        var devNonces: [UInt64] = try nonces(of: DevAccounts.addresses, via: connection)
        var funded = 0
        for (s, address) in addresses.enumerated() {
            let have = try balance(of: address, tag: "pending", via: connection)
            guard have < need else { continue }
            let d = s % devs
            let tx = Transaction(type: .dynamicFee, chainID: chainID, nonce: devNonces[d],
                                 maxPriorityFeePerGas: LoadPlan.tip, maxFeePerGas: LoadPlan.maxFeePerGas,
                                 gasLimit: GasCost.transaction, to: address, value: need * UInt256(2)).signed(with: DevAccounts.keys[d])
            _ = try connection.call("eth_sendRawTransaction", #"["\#(Hex.encode(tx.raw))"]"#)
            devNonces[d] += 1
            funded += 1
        }
        let deadline = monotonicNanos() + UInt64(timeoutSeconds * 1e9)
        for address in addresses {
            while try balance(of: address, tag: "latest", via: connection) < need {
                guard monotonicNanos() < deadline else { throw LoadError.timedOut("funding \(address)") }
                usleep(20_000)
            }
        }
        return funded
    }
}
