import JSON
import L1
import Primitives

/// Why a call to the sequencer's JSON-RPC failed.
enum NodeRPCError: Error, CustomStringConvertible {
    /// The sequencer could not be reached.
    case unreachable(String)
    /// The sequencer answered with a JSON-RPC error.
    case rpc(method: String, code: Int, message: String)
    /// The answer is not what the method returns.
    case invalidResponse(String)

    var description: String {
        switch self {
        case .unreachable(let m): "sequencer unreachable: \(m)"
        case let .rpc(method, code, message): "\(method) failed (\(code)): \(message)"
        case .invalidResponse(let m): "invalid sequencer response: \(m)"
        }
    }
}

/// A small blocking JSON-RPC client to the sequencer node (`eth_*`, `seq_*`).
struct NodeRPCClient: Sendable {
    let http: BlockingHTTPClient
    let path: String

    /// A client for `http://host:port[/path]`; nil when `url` is not one.
    init?(url: String, timeoutSeconds: Int = 15) {
        guard let endpoint = HTTPEndpoint(url: url) else { return nil }
        http = BlockingHTTPClient(host: endpoint.host, port: endpoint.port, timeoutSeconds: timeoutSeconds)
        path = endpoint.path
    }

    /// Calls `method` and returns its `result`.
    func call(_ method: String, _ params: [JSONValue] = []) throws(NodeRPCError) -> JSONValue {
        let request: JSONValue = ["jsonrpc": "2.0", "id": 1, "method": .string(method), "params": .array(params)]
        let status: Int, body: [UInt8]
        do throws(L1ClientError) {
            (status, body) = try http.post(path: path, body: request.serialized())
        } catch {
            if case .transport(let m) = error { throw .unreachable(m) }
            throw .invalidResponse("\(method): \(error)")
        }
        guard let response = try? JSONParser.parse(body) else { throw .invalidResponse("\(method): HTTP \(status), body is not JSON") }
        if let error = response["error"] {
            throw .rpc(method: method, code: error["code"]?.intValue ?? 0, message: error["message"]?.stringValue ?? "")
        }
        guard let result = response["result"] else { throw .invalidResponse("\(method): no result") }
        return result
    }

    /// A hex quantity result.
    func quantity(_ method: String, _ params: [JSONValue] = []) throws(NodeRPCError) -> UInt256 {
        let result = try call(method, params)
        guard let text = result.stringValue, let value = UInt256(hexQuantity: text) else {
            throw .invalidResponse("\(method): expected a quantity, got \(result)")
        }
        return value
    }

    /// `eth_getBalance(address, "latest")`.
    func balance(of address: Address) throws(NodeRPCError) -> UInt256 {
        try quantity("eth_getBalance", [.string(address.hex), "latest"])
    }

    /// `eth_getTransactionCount(address, "pending")`.
    func pendingNonce(of address: Address) throws(NodeRPCError) -> UInt64 {
        guard let n = try quantity("eth_getTransactionCount", [.string(address.hex), "pending"]).uint64 else {
            throw .invalidResponse("eth_getTransactionCount: nonce too large")
        }
        return n
    }

    /// The sequencer's signing address, from `seq_status`.
    func sequencerAddress() throws(NodeRPCError) -> Address {
        let status = try call("seq_status")
        guard let text = status["sequencer"]?.stringValue, let address = Address(hex: text) else {
            throw .invalidResponse("seq_status: no sequencer address")
        }
        return address
    }
}

/// The host, port and path of an `http://` URL.
struct HTTPEndpoint: Sendable {
    let host: String
    let port: Int
    let path: String

    init?(url: String) {
        var rest = Substring(url)
        if rest.hasPrefix("http://") { rest = rest.dropFirst(7) } else if rest.contains("://") { return nil }
        var path = "/"
        if let slash = rest.firstIndex(of: "/") {
            path = String(rest[slash...])
            rest = rest[..<slash]
        }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty else { return nil }
        guard let port = parts.count == 2 ? Int(parts[1]) : 80, (1...65535).contains(port) else { return nil }
        host = String(parts[0])
        self.port = port
        self.path = path
    }
}
