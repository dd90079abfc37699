import Ethereum
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Primitives
import TestSupport
import XCTest
@testable import Sequencer

/// The running node over real loopback sockets: admin token, the
/// pre-confirmation feed, metrics.
final class NodeLiveTests: XCTestCase {
    private var node: SequencerNode!
    private var url: URL!

    override func setUpWithError() throws {
        var config = NodeConfiguration()
        config.port = 0
        config.blockTimeMillis = 50
        config.adminToken = "test-token"
        config.logging = false
        config.eventLoops = 2
        config.dataDirectory = NSTemporaryDirectory() + "node-live-" + UUID().uuidString
        node = try SequencerNode(configuration: config)
        try node.start()
        url = URL(string: "http://127.0.0.1:\(node.port)/")!
    }

    override func tearDown() {
        node.shutdown()
        try? FileManager.default.removeItem(atPath: node.dataDirectory)
    }

    private func call(_ body: String, token: String? = nil, path: String = "/", method: String = "POST") -> (status: Int, body: String) {
        var request = URLRequest(url: URL(string: path, relativeTo: url)!)
        request.httpMethod = method
        if method == "POST" { request.httpBody = Data(body.utf8) }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let result = LockedResult()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, response, _ in
            result.set((response as? HTTPURLResponse)?.statusCode ?? -1, data.map { String(decoding: $0, as: UTF8.self) } ?? "")
            done.signal()
        }.resume()
        _ = done.wait(timeout: .now() + 10)
        return result.get()
    }

    private func transfer(_ i: Int, nonce: UInt64) -> String {
        let t = Transaction(type: .dynamicFee, chainID: 31337, nonce: nonce, maxPriorityFeePerGas: UInt256(1),
                            maxFeePerGas: UInt256(1_000_000_000), gasLimit: 21_000, to: DevAccounts.addresses[9], value: UInt256(1))
        return Hex.encode(t.signed(with: DevAccounts.keys[i]).raw)
    }

    func testAdminMethodsNeedTheBearerTokenAndChangeNothingWithout() {
        let body = #"{"jsonrpc":"2.0","id":1,"method":"admin_setPolicy","params":["priority"]}"#
        let none = call(body)
        XCTAssertEqual(none.status, 401)
        XCTAssertTrue(none.body.contains("unauthorized"))
        XCTAssertEqual(call(body, token: "wrong").status, 401)
        XCTAssertEqual(call(#"[{"jsonrpc":"2.0","id":1,"method":"eth_chainId"},{"jsonrpc":"2.0","id":2,"method":"admin_pause"}]"#).status, 401,
                       "a batch that smuggles an admin call is refused whole")
        XCTAssertEqual(node.runtime.controls.policy, "fcfs", "nothing changed")
        XCTAssertFalse(node.runtime.controls.paused)
        let ok = call(body, token: "test-token")
        XCTAssertEqual(ok.status, 200)
        XCTAssertTrue(ok.body.contains(#""policy":"priority""#), ok.body)
        XCTAssertEqual(node.runtime.controls.policy, "priority")
        XCTAssertTrue(call(#"{"jsonrpc":"2.0","id":1,"method":"seq_status"}"#).body.contains(#""policy":"priority""#))
    }

    func testCensorListWithholdsAndReleasesOverRPC() throws {
        let victim = DevAccounts.addresses[4].checksummed
        XCTAssertEqual(call(#"{"jsonrpc":"2.0","id":1,"method":"admin_setCensored","params":[["\#(victim)"]]}"#, token: "test-token").status, 200)
        let sent = call(#"{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["\#(transfer(4, nonce: 0))"]}"#)
        XCTAssertTrue(sent.body.contains(#""result":"0x"#), "answered with a hash like an honest sequencer: \(sent.body)")
        let hash = try XCTUnwrap(sent.body.split(separator: "\"").first { $0.hasPrefix("0x") && $0.count == 66 })
        Thread.sleep(forTimeInterval: 0.3)
        XCTAssertTrue(call(#"{"jsonrpc":"2.0","id":1,"method":"eth_getTransactionReceipt","params":["\#(hash)"]}"#).body.contains(#""result":null"#))
        XCTAssertTrue(call("", path: "/metrics", method: "GET").body.contains("sequencer_censored_withheld_transactions 1"))
        XCTAssertEqual(call(#"{"jsonrpc":"2.0","id":1,"method":"admin_setCensored","params":[[]]}"#, token: "test-token").status, 200)
        Thread.sleep(forTimeInterval: 0.3)
        XCTAssertTrue(call(#"{"jsonrpc":"2.0","id":1,"method":"eth_getTransactionReceipt","params":["\#(hash)"]}"#).body.contains(#""status":"0x1""#))
    }

    func testTheFeedDeliversInOrderToTwoSubscribers() throws {
        let a = try SSEClient(port: node.port), b = try SSEClient(port: node.port)
        Thread.sleep(forTimeInterval: 0.1)
        var hashes: [String] = []
        for n in 0..<5 {
            let r = call(#"{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["\#(transfer(1, nonce: UInt64(n)))"]}"#)
            hashes.append(String(r.body.split(separator: "\"").first { $0.hasPrefix("0x") && $0.count == 66 } ?? ""))
        }
        for client in [a, b] {
            let events = try client.events(named: "preconfirmation", count: 5)
            XCTAssertEqual(events.map { $0.data.split(separator: "\"")[3] }.map(String.init), hashes, "in submission order")
            let ids = events.compactMap { $0.id.flatMap { Int($0) } }
            XCTAssertEqual(ids, ids.sorted(), "ids increase")
        }
    }

    func testMetricsAreValidPrometheusText() {
        _ = call(#"{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["\#(transfer(2, nonce: 0))"]}"#)
        _ = call(#"{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["\#(transfer(2, nonce: 0))"]}"#)
        _ = call(#"{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0x02"]}"#)
        let m = call("", path: "/metrics", method: "GET")
        XCTAssertEqual(m.status, 200)
        let sample = try! NSRegularExpression(pattern: #"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"]*")*\})? -?[0-9.e+Inf-]+$"#)
        for line in m.body.split(separator: "\n") where !line.hasPrefix("#") {
            let s = String(line)
            XCTAssertNotNil(sample.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)), "not a Prometheus sample: \(s)")
        }
        XCTAssertTrue(m.body.contains(#"sequencer_transactions_accepted_total{outcome="sequenced"} 1"#), m.body)
        XCTAssertTrue(m.body.contains(#"sequencer_transactions_rejected_total{reason="malformed"} 1"#))
        XCTAssertTrue(m.body.contains("sequencer_preconfirmation_latency_seconds_count 1"))
        if let python = Executables.which("python3"),
           let r = try? Executables.run(python, ["-c", "import sys\nfrom prometheus_client.parser import text_string_to_metric_families as p\nprint(len(list(p(sys.stdin.read()))))"], stdin: m.body),
           r.status == 0 {
            XCTAssertGreaterThan(Int(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0, 10, "prometheus_client parses it")
        }
    }
}

/// A minimal server-sent-events reader over a blocking socket.
final class SSEClient {
    struct Event { var id: String?; var name: String?; var data: String }
    private let fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard rc == 0 else { throw NSError(domain: "connect", code: Int(errno)) }
        var tv = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let request = "GET /v1/preconfirmations HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
    }

    deinit { close(fd) }

    func events(named name: String, count: Int) throws -> [Event] {
        var out: [Event] = []
        var current = Event(data: "")
        while out.count < count {
            guard let line = readLine() else { throw NSError(domain: "sse timeout", code: 0) }
            if line.isEmpty {
                if current.name == name { out.append(current) }
                current = Event(data: "")
            } else if line.hasPrefix("id: ") { current.id = String(line.dropFirst(4)) }
            else if line.hasPrefix("event: ") { current.name = String(line.dropFirst(7)) }
            else if line.hasPrefix("data: ") { current.data += String(line.dropFirst(6)) }
        }
        return out
    }

    private func readLine() -> String? {
        while true {
            if let i = buffer.firstIndex(of: 10) {
                var line = Array(buffer[..<i])
                buffer.removeFirst(i + 1)
                if line.last == 13 { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { return nil }
            buffer += chunk[..<n]
        }
    }
}

final class LockedResult: @unchecked Sendable {
    // Guards `value`.
    private let lock = NSLock()
    private var value = (0, "")
    func set(_ status: Int, _ body: String) { lock.lock(); value = (status, body); lock.unlock() }
    func get() -> (status: Int, body: String) { lock.lock(); defer { lock.unlock() }; return value }
}
