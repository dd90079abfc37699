import Foundation
import XCTest
@testable import Sequencer

/// openapi.json must list exactly the JSON-RPC methods the node serves.
final class OpenAPIDocumentTests: XCTestCase {
    func testDocumentAndServerAgreeOnTheMethodList() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let data = try Data(contentsOf: root.appendingPathComponent("openapi.json"))
        let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let documented = Set(try XCTUnwrap(doc["x-jsonrpc-methods"] as? [String: Any]).keys)

        var config = NodeConfiguration()
        config.port = 0
        config.dataDirectory = NSTemporaryDirectory() + "openapi-test-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: config.dataDirectory!) }
        let node = try SequencerNode(configuration: config)
        defer { node.runtime.stop() }
        let served = Set(node.rpc.methodNames)

        XCTAssertEqual(served.subtracting(documented).sorted(), [], "served but not in openapi.json (run scripts/gen-openapi.py)")
        XCTAssertEqual(documented.subtracting(served).sorted(), [], "in openapi.json but not served")
    }
}
