import XCTest
import Foundation
import Hashing
import Primitives
import TestSupport
@testable import Trie

/// Runs ethereum/tests TrieTests: ordered and any-order insertions (with
/// deletions as null values), plain and secure (keccak-keyed) tries.
final class TrieVectorTests: XCTestCase {
    private func bytes(_ s: String) -> [UInt8] {
        if s.hasPrefix("0x"), let b = Hex.decode(s) { return b }
        return Array(s.utf8)
    }

    private func runFile(_ name: String, secure: Bool) throws -> Int {
        guard let url = Vectors.path("ethereum-tests/TrieTests/\(name)") else {
            throw XCTSkip(Vectors.missingMessage)
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        var passed = 0
        for (testName, body) in json.sorted(by: { $0.key < $1.key }) {
            let test = body as! [String: Any]
            var pairs: [(String, String?)] = []
            if let list = test["in"] as? [[Any]] {
                pairs = list.map { ($0[0] as! String, $0[1] as? String) }
            } else if let dict = test["in"] as? [String: Any] {
                pairs = dict.map { ($0.key, $0.value as? String) }
            }
            var trie = MerklePatriciaTrie()
            for (k, v) in pairs {
                let key = secure ? Keccak256.hash(bytes(k)).bytes : bytes(k)
                trie.set(v.map(bytes) ?? [], forKey: key)
            }
            let expected = test["root"] as! String
            XCTAssertEqual(trie.rootHash.description, expected, "\(name) \(testName)")
            if trie.rootHash.description == expected { passed += 1 }
        }
        return passed
    }

    func testAllTrieVectors() throws {
        var total = 0
        for (file, secure) in [("trietest.json", false), ("trieanyorder.json", false),
                               ("trietest_secureTrie.json", true), ("trieanyorder_secureTrie.json", true),
                               ("hex_encoded_securetrie_test.json", true)] {
            let n = try runFile(file, secure: secure)
            print("TrieTests/\(file): \(n) passed")
            total += n
        }
        print("TrieTests: \(total) passed")
        XCTAssertGreaterThan(total, 20)
    }

    func testEmptyRoot() {
        XCTAssertEqual(MerklePatriciaTrie().rootHash.description,
                       "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421")
    }

    /// Insertion order, deletions and snapshots must not change the root of the same key set.
    func testRootDependsOnlyOnContentsAndSnapshotsAreIndependent() {
        var rng = SplitMix64(seed: 42)
        var keys: [[UInt8]] = []
        for _ in 0..<300 {
            let len = Int(rng.next() % 6) + 1
            keys.append((0..<len).map { _ in UInt8(truncatingIfNeeded: rng.next() % 5) })
        }
        var a = MerklePatriciaTrie()
        for (i, k) in keys.enumerated() { a.set([UInt8(truncatingIfNeeded: i), 1], forKey: k) }
        let snapshot = a
        let snapshotRoot = snapshot.rootHash
        var b = MerklePatriciaTrie()
        var latest: [[UInt8]: [UInt8]] = [:]
        for (i, k) in keys.enumerated() { latest[k] = [UInt8(truncatingIfNeeded: i), 1] }
        for (k, v) in latest.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }).reversed() { b.set(v, forKey: k) }
        XCTAssertEqual(a.rootHash, b.rootHash)

        for k in keys.prefix(150) { a.removeValue(forKey: k) }
        var c = MerklePatriciaTrie()
        let removed = Set(keys.prefix(150))
        for (k, v) in latest where !removed.contains(k) { c.set(v, forKey: k) }
        XCTAssertEqual(a.rootHash, c.rootHash)
        XCTAssertEqual(snapshot.rootHash, snapshotRoot, "the snapshot is unaffected by later changes")
        for k in keys.prefix(150) { XCTAssertNil(a.value(forKey: k)) }
        for (k, v) in latest where !removed.contains(k) { XCTAssertEqual(a.value(forKey: k), v) }
        for k in keys { a.removeValue(forKey: k) }
        XCTAssertEqual(a.rootHash, MerklePatriciaTrie.emptyRoot)
    }
}
