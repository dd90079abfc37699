import Primitives
import XCTest
@testable import Sequencer

final class HashShardedMapTests: XCTestCase {
    func testBehavesLikeOneDictionary() {
        var map = HashShardedMap<Int>()
        var reference: [Hash32: Int] = [:]
        var rng = SplitMix64(seed: 7)
        let keys = (0..<5_000).map { _ in Hash32(littleEndianWords: rng.next(), rng.next(), rng.next(), rng.next()) }
        for (i, k) in keys.enumerated() {
            map[k] = i
            reference[k] = i
        }
        for k in keys.prefix(1_000) {
            map.update(k) { $0? += 1 }
            reference[k]? += 1
        }
        for k in keys.suffix(500) {
            map[k] = nil
            reference[k] = nil
        }
        map.update(Hash32(littleEndianWords: 1, 2, 3, 4)) { XCTAssertNil($0) }
        for k in keys { XCTAssertEqual(map[k], reference[k]) }
        XCTAssertNil(map[Hash32(littleEndianWords: 9, 9, 9, 9)])
    }
}
