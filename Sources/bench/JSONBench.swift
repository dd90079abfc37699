import Foundation
import JSON
import JSONRPC
import Synchronization

/// The JSON suite: parsing and answering a 316-byte `eth_sendRawTransaction`
/// request with our parser and JSON-RPC server, against Foundation on the same input.
func runJSONBench() {
    let request = sendRawTransactionRequest()
    precondition(request.count == 316, "the request is \(request.count) bytes")
    let hash = "0x" + String(repeating: "9f3c1a7e", count: 8)
    let txHash: [UInt8] = (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }

    var router = JSONRPCRouter()
    router.register("eth_sendRawTransaction") { _ in .success(.string(hash)) }
    router.register("eth_sendRawTransaction_decoded") { call in
        let raw = try call.params.hexData(0)
        var w = JSONWriter(capacity: 68)
        w.writeHexBytes(raw.count == 121 ? txHash : [])
        return .raw(w.bytes)
    }
    let server = JSONRPCServer(router: router)
    let decodedRequest = Array(String(decoding: request, as: UTF8.self)
        .replacingOccurrences(of: "eth_sendRawTransaction", with: "eth_sendRawTransaction_decoded").utf8)
    let sink = ResponseSizes()
    let completion = sink.completion

    server.handle(body: request, completion: { print("  response: \(String(decoding: $0 ?? [], as: UTF8.self))") })
    server.handle(body: decodedRequest, completion: { print("  response (decoded variant): \(String(decoding: $0 ?? [], as: UTF8.self))") })

    let data = Data(request)
    let decoder = JSONDecoder()
    let encoder = JSONEncoder()
    let inner = 1_000
    let runs = 100

    print("  input: \(request.count)-byte eth_sendRawTransaction request; median (p99) ns/op over \(runs)×\(inner)")
    let parse = row("JSONParser.parse → JSONValue", runs, inner) {
        blackHole(try! JSONParser.parse(request))
    }
    let validate = row("JSONParser.validate (no tree)", runs, inner) {
        request.withUnsafeBytes { try! JSONParser.validate($0) }
    }
    let dispatch = row("JSONRPCServer.handle: parse+dispatch+write", runs, inner) {
        server.handle(body: request, completion: completion)
    }
    let dispatchDecoded = row("  same, handler decodes hex param (121 B)", runs, inner) {
        server.handle(body: decodedRequest, completion: completion)
    }
    let serialization = row("JSONSerialization.jsonObject", runs, inner) {
        blackHole(try! JSONSerialization.jsonObject(with: data))
    }
    let decode = row("JSONDecoder → Codable (reused decoder)", runs, inner) {
        blackHole(try! decoder.decode(SendRawTransactionRequest.self, from: data))
    }
    let foundationRoundTrip = row("JSONDecoder + JSONEncoder response", runs, inner) {
        let req = try! decoder.decode(SendRawTransactionRequest.self, from: data)
        blackHole(try! encoder.encode(HashResponse(jsonrpc: "2.0", id: req.id, result: hash)))
    }
    blackHole(sink.total)

    print("  ratios: JSONSerialization/parse \(format(serialization / parse, 1))x, "
        + "JSONDecoder/parse \(format(decode / parse, 1))x, "
        + "Foundation decode+encode/handle \(format(foundationRoundTrip / dispatch, 1))x, "
        + "validate/parse \(format(validate / parse, 2)), decoded-variant/handle \(format(dispatchDecoded / dispatch, 2))")
}

/// Times `inner` calls of `body` per run and prints the per-call median and p99; returns the median.
private func row(_ name: String, _ runs: Int, _ inner: Int, _ body: () -> Void) -> Double {
    let samples = measure(runs: runs) {
        for _ in 0..<inner { body() }
    }
    let median = quantile(samples, 0.5) / Double(inner)
    let p99 = quantile(samples, 0.99) / Double(inner)
    print("  " + name.padding(toLength: 44, withPad: " ", startingAt: 0)
        + format(median, 1).leftPadded(8) + " (" + format(p99, 1) + ")")
    return median
}

/// `{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0x02f876…"]}`
/// with a 121-byte type-2 transaction, 316 bytes in all.
private func sendRawTransactionRequest() -> [UInt8] {
    var tx: [UInt8] = [0x02, 0xF8, 0x76]
    var x: UInt64 = 0x1234_5678_9ABC_DEF0
    while tx.count < 121 {
        x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        tx.append(UInt8(truncatingIfNeeded: x >> 56))
    }
    var w = JSONWriter(capacity: 320)
    w.appendRaw(#"{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["#)
    w.writeHexBytes(tx)
    w.appendRaw("]}")
    return w.bytes
}

private struct SendRawTransactionRequest: Codable {
    let jsonrpc: String
    let id: Int
    let method: String
    let params: [String]
}

private struct HashResponse: Codable {
    let jsonrpc: String
    let id: Int
    let result: String
}

/// Keeps every response alive long enough to count its bytes.
private final class ResponseSizes: Sendable {
    private let bytes = Atomic<Int>(0)
    var completion: @Sendable ([UInt8]?) -> Void { { self.bytes.add($0?.count ?? 0, ordering: .relaxed) } }
    var total: Int { bytes.load(ordering: .relaxed) }
}

extension String {
    fileprivate func leftPadded(_ n: Int) -> String {
        count >= n ? self : String(repeating: " ", count: n - count) + self
    }
}
