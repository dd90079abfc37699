import XCTest
@testable import Storage

final class LogRecordFormatTests: XCTestCase {
    func testCRC32CKnownAnswers() {
        XCTAssertEqual(CRC32C.checksum(Array("123456789".utf8)), 0xE306_9283)
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0, count: 32)), 0x8A91_36AA)
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0xff, count: 32)), 0x62A8_AB43)
        let ascending = (0..<32).map { UInt8($0) }
        XCTAssertEqual(CRC32C.checksum(ascending), 0x46DD_794E)
    }

    func testCRC32CContinuationEqualsOneShot() {
        let data = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        for split in [0, 1, 7, 8, 9, 500, 999, 1000] {
            let first = CRC32C.checksum(Array(data[..<split]))
            XCTAssertEqual(CRC32C.checksum(Array(data[split...]), continuing: first), CRC32C.checksum(data), "split \(split)")
        }
    }

    private func image(_ payloads: [[UInt8]]) -> [UInt8] {
        var buffer: [UInt8] = []
        for p in payloads { LogRecordFormat.append(p, to: &buffer) }
        return buffer
    }

    func testScanReadsEveryRecordAndStopsAtZeroFill() {
        let payloads: [[UInt8]] = [[1], [2, 3], Array(repeating: 9, count: 300)]
        var img = image(payloads)
        let length = img.count
        img.append(contentsOf: [UInt8](repeating: 0, count: 4096))
        let scan = LogRecordFormat.scan(img)
        XCTAssertEqual(scan.records, payloads)
        XCTAssertEqual(scan.validLength, length)
        XCTAssertEqual(scan.discardedBytes, 0)
    }

    func testEveryTruncationKeepsExactlyTheCompleteRecords() {
        let payloads: [[UInt8]] = (1...5).map { n in (0..<(n * 13)).map { UInt8(truncatingIfNeeded: $0 + n) } }
        let full = image(payloads)
        var boundaries = [0]
        for p in payloads { boundaries.append(boundaries.last! + LogRecordFormat.headerSize + p.count) }
        for cut in 0...full.count {
            let scan = LogRecordFormat.scan(Array(full[..<cut]))
            let complete = boundaries.lastIndex { $0 <= cut }!
            XCTAssertEqual(scan.records.count, complete, "cut at \(cut)")
            XCTAssertEqual(scan.validLength, boundaries[complete], "cut at \(cut)")
        }
    }

    func testAFlippedBitEndsTheLogAtTheDamagedRecord() {
        let payloads: [[UInt8]] = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
        let full = image(payloads)
        let second = LogRecordFormat.headerSize + 3
        for offset in second..<(second + LogRecordFormat.headerSize + 3) {
            var damaged = full
            damaged[offset] ^= 0x10
            let scan = LogRecordFormat.scan(damaged)
            XCTAssertEqual(scan.records, [[1, 2, 3]], "flip at \(offset)")
            XCTAssertEqual(scan.validLength, second)
            XCTAssertGreaterThan(scan.discardedBytes, 0)
        }
    }
}
