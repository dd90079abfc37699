import JSON
import Primitives
import Rollup

/// `L1Client` over the L1's JSON-RPC (a separate `sequencer l1`), one
/// blocking HTTP request per call. Refusals come back as the same
/// `L1ClientError.refused` values `LocalL1Client` gives.
public struct HTTPL1Client: L1Client {
    public let http: BlockingHTTPClient

    /// A client for `http://host:port`.
    public init(host: String, port: Int, timeoutSeconds: Int = 30) {
        http = BlockingHTTPClient(host: host, port: port, timeoutSeconds: timeoutSeconds)
    }

    /// A client for a URL such as `http://127.0.0.1:8546`; nil when it is not one.
    public init?(url: String) {
        var rest = Substring(url)
        if rest.hasPrefix("http://") { rest = rest.dropFirst(7) }
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        let parts = rest.split(separator: ":")
        guard (1...2).contains(parts.count), !parts[0].isEmpty else { return nil }
        let port = parts.count == 2 ? Int(parts[1]) : 80
        guard let port, (1...65535).contains(port) else { return nil }
        self.init(host: String(parts[0]), port: port)
    }

    /// Calls `method` and returns its `result`.
    public func call(_ method: String, _ params: [JSONValue] = []) throws(L1ClientError) -> JSONValue {
        let request: JSONValue = ["jsonrpc": "2.0", "id": 1, "method": .string(method), "params": .array(params)]
        let (status, body) = try http.post(body: request.serialized())
        guard status == 200 else { throw .invalidResponse("HTTP status \(status) for \(method)") }
        let response: JSONValue
        do throws(JSONParseError) { response = try JSONParser.parse(body) } catch {
            throw .invalidResponse("\(method): response is not JSON")
        }
        if let error = response["error"] {
            throw .refused(code: error["code"]?.intValue ?? 0, message: error["message"]?.stringValue ?? "",
                           reason: error["data"]?["reason"]?.stringValue)
        }
        guard let result = response["result"] else { throw .invalidResponse("\(method): no result") }
        return result
    }

    private func read<T>(_ method: String, _ params: [JSONValue] = [],
                         _ body: (L1JSONReader) throws(L1JSONReader.Failure) -> T) throws(L1ClientError) -> T {
        let result = try call(method, params)
        do throws(L1JSONReader.Failure) { return try body(L1JSONReader(result, context: method)) } catch {
            throw .invalidResponse(error.message)
        }
    }

    private func quantity(_ method: String, _ params: [JSONValue] = []) throws(L1ClientError) -> UInt256 {
        guard let s = try call(method, params).stringValue, let v = UInt256(hexQuantity: s) else {
            throw .invalidResponse("\(method): expected a quantity")
        }
        return v
    }

    private func small(_ method: String, _ params: [JSONValue] = []) throws(L1ClientError) -> UInt64 {
        guard let v = try quantity(method, params).uint64 else { throw .invalidResponse("\(method): quantity too large") }
        return v
    }

    public func parameters() throws(L1ClientError) -> L1Parameters { try read("l1_getParameters") { r throws(L1JSONReader.Failure) in try r.parameters() } }
    public func blockNumber() throws(L1ClientError) -> UInt64 { try small("l1_blockNumber") }

    public func block(_ number: UInt64?) throws(L1ClientError) -> L1Block {
        let result = try call("l1_getBlock", [number.map(L1JSON.q) ?? "latest"])
        if result.isNull { throw .refused(code: -32001, message: "L1 block \(number ?? 0) not found", reason: "unknownBlock") }
        do throws(L1JSONReader.Failure) { return try L1JSONReader(result, context: "l1_getBlock").block() } catch {
            throw .invalidResponse(error.message)
        }
    }

    public func balance(of address: Address) throws(L1ClientError) -> UInt256 { try quantity("l1_getBalance", [L1JSON.address(address)]) }
    public func nonce(of address: Address) throws(L1ClientError) -> UInt64 { try small("l1_getNonce", [L1JSON.address(address)]) }
    public func l2Head() throws(L1ClientError) -> L2HeadStatus { try read("l1_getL2Head") { r throws(L1JSONReader.Failure) in try r.status() } }

    public func queue(from index: UInt64, limit: Int) throws(L1ClientError) -> [QueueEntry] {
        try read("l1_getQueue", [L1JSON.q(index), L1JSON.q(UInt64(max(0, limit)))]) { r throws(L1JSONReader.Failure) in
            var out: [QueueEntry] = []
            for item in try r.array("items") { out.append(try L1JSONReader(item, context: "l1_getQueue item").queueEntry()) }
            return out
        }
    }

    public func inbox(from index: UInt64, limit: Int) throws(L1ClientError) -> [InboxEntry] {
        try read("l1_getInbox", [L1JSON.q(index), L1JSON.q(UInt64(max(0, limit)))]) { r throws(L1JSONReader.Failure) in
            var out: [InboxEntry] = []
            for item in try r.array("entries") { out.append(try L1JSONReader(item, context: "l1_getInbox entry").inboxEntry()) }
            return out
        }
    }

    private func outcome(_ method: String, _ params: [JSONValue]) throws(L1ClientError) -> L1Outcome {
        try read(method, params) { r throws(L1JSONReader.Failure) in try r.outcome(method) }
    }

    public func postBatch(_ batch: [UInt8], signature: [UInt8]) throws(L1ClientError) -> L1Outcome {
        try outcome("l1_postBatch", [L1JSON.hex(batch), L1JSON.hex(signature)])
    }

    public func enqueueTransaction(_ raw: [UInt8]) throws(L1ClientError) -> L1Outcome { try outcome("l1_enqueueTransaction", [L1JSON.hex(raw)]) }
    public func deposit(_ request: DepositRequest) throws(L1ClientError) -> L1Outcome { try outcome("l1_deposit", [L1JSON.deposit(request)]) }
    public func forceInclude() throws(L1ClientError) -> L1Outcome { try outcome("l1_forceInclude", []) }

    public func claimWithdrawal(_ withdrawal: Withdrawal, proof: [Hash32]) throws(L1ClientError) -> L1Outcome {
        try outcome("l1_claimWithdrawal", [L1JSON.withdrawal(withdrawal, proof: proof)])
    }

    public func mine(_ count: UInt64) throws(L1ClientError) -> L1Outcome { try outcome("l1_mine", [L1JSON.q(count)]) }
}
