import Foundation
import JSONRPC
import Storage
import XCTest
@testable import L1

/// openapi.json's `x-l1-jsonrpc-methods` must list exactly the methods the L1 serves.
final class L1OpenAPIDocumentTests: XCTestCase {
    func testDocumentAndL1AgreeOnTheMethodList() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let data = try Data(contentsOf: root.appendingPathComponent("openapi.json"))
        let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let documented = Set(try XCTUnwrap(doc["x-l1-jsonrpc-methods"] as? [String: Any]).keys)
        let node = try L1Node(configuration: L1Fixture.config, file: SimulatedLogFile())
        var router = JSONRPCRouter()
        L1Methods(node: node, now: { 0 }).register(into: &router)
        let served = Set(router.methodNames)
        XCTAssertEqual(served.subtracting(documented).sorted(), [], "served but not in openapi.json (run scripts/gen-openapi.py)")
        XCTAssertEqual(documented.subtracting(served).sorted(), [], "in openapi.json but not served")
    }
}
