import XCTest
import TestSupport
@testable import Storage

final class LogWriterTests: XCTestCase {
    func testRecordsAreDurableOnlyAfterFlush() throws {
        let file = SimulatedLogFile()
        var (writer, recovered) = try LogWriter.open(file)
        XCTAssertEqual(recovered.records, [])
        try writer.append([1])
        try writer.append([2])
        file.crash()
        XCTAssertEqual(try LogWriter.open(file).recovered.records, [])

        (writer, _) = try LogWriter.open(file)
        try writer.append([1])
        try writer.append([2])
        XCTAssertEqual(try writer.flush(), 2)
        XCTAssertEqual(file.syncCount, 1)
        try writer.append([3])
        file.crash()
        XCTAssertEqual(try LogWriter.open(file).recovered.records, [[1], [2]])
    }

    func testTornTailIsCutAndNewRecordsFollowTheLastGoodOne() throws {
        for kept in 1..<20 {
            let file = SimulatedLogFile()
            var (writer, _) = try LogWriter.open(file)
            try writer.append([1, 1, 1])
            try writer.flush()
            try writer.append([2, 2, 2, 2, 2, 2, 2, 2, 2, 2])
            let garbage = [UInt8](repeating: 0xAB, count: 18)
            let end = writer.end
            garbage.withUnsafeBytes { _ = try? file.write($0, at: end) }
            file.crash(keepingUnsynced: kept)
            var (reopened, recovered) = try LogWriter.open(file)
            XCTAssertEqual(recovered.records, [[1, 1, 1]], "kept \(kept)")
            try reopened.append([3])
            try reopened.flush()
            file.crash()
            XCTAssertEqual(try LogWriter.open(file).recovered.records, [[1, 1, 1], [3]], "kept \(kept)")
        }
    }

    func testFailedSyncKeepsNothingDurable() throws {
        let file = SimulatedLogFile()
        var (writer, _) = try LogWriter.open(file)
        try writer.append([7])
        file.failNext = .syncFailed(errno: 5)
        XCTAssertThrowsError(try writer.flush()) { XCTAssertEqual($0 as? StorageError, .syncFailed(errno: 5)) }
        XCTAssertEqual(writer.durableCount, 0)
        XCTAssertEqual(try writer.flush(), 1)
        XCTAssertEqual(try LogWriter.open(file).recovered.records, [[7]])
    }

    func testEmptyAndOversizeRecordsAreRefused() throws {
        var (writer, _) = try LogWriter.open(SimulatedLogFile())
        XCTAssertThrowsError(try writer.append([]))
        XCTAssertThrowsError(try writer.append([UInt8](repeating: 1, count: LogRecordFormat.maxPayload + 1)))
    }
}
