import XCTest
import Foundation
@testable import Storage

final class GroupCommitLogTests: XCTestCase {
    private func temporaryPath() -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wal-test-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir.appendingPathComponent("log").path
    }

    func testConcurrentAppendsAreAllDurableAndGrouped() throws {
        let path = temporaryPath()
        let (writer, _) = try LogWriter.open(PosixLogFile(path: path))
        let groups = Counter()
        let log = GroupCommitLog(writer: writer) { records, _, _ in groups.add(1) }
        let threads = 4, perThread = 250
        let done = DispatchGroup()
        let completed = Counter()
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            for i in 0..<perThread {
                done.enter()
                let payload = Array("t\(t)-\(i)".utf8)
                log.append(payload) { result in
                    if case .success = result { completed.add(1) }
                    done.leave()
                }
            }
        }
        XCTAssertEqual(done.wait(timeout: .now() + 30), .success)
        log.close()
        XCTAssertEqual(completed.value, threads * perThread)
        XCTAssertLessThan(groups.value, threads * perThread, "some fsyncs should cover several records")

        let recovered = try LogWriter.open(PosixLogFile(path: path)).recovered.records
        XCTAssertEqual(recovered.count, threads * perThread)
        for t in 0..<threads {
            let mine = recovered.map { String(decoding: $0, as: UTF8.self) }.filter { $0.hasPrefix("t\(t)-") }
            XCTAssertEqual(mine, (0..<perThread).map { "t\(t)-\($0)" }, "per-thread order kept")
        }
    }

    func testABatchAppendSharesOneGroupCommitAndKeepsOrder() throws {
        let path = temporaryPath()
        let groups = Counter()
        let log = GroupCommitLog(writer: try LogWriter.open(PosixLogFile(path: path)).writer) { _, _, _ in groups.add(1) }
        let done = DispatchGroup()
        let completed = Counter()
        let entries: [(payload: [UInt8], completion: GroupCommitLog.Completion)] = (0..<50).map { i in
            done.enter()
            return ([UInt8(i)], { result in
                if case .success = result { completed.add(1) }
                done.leave()
            })
        }
        log.append(contentsOf: entries)
        XCTAssertEqual(done.wait(timeout: .now() + 30), .success)
        log.close()
        XCTAssertEqual(completed.value, 50)
        XCTAssertEqual(groups.value, 1)
        XCTAssertEqual(try LogWriter.open(PosixLogFile(path: path)).recovered.records, (0..<50).map { [UInt8($0)] })
    }

    func testABatchAppendAfterAFailedSyncFailsEveryEntry() throws {
        let file = SimulatedLogFile()
        let log = GroupCommitLog(writer: try LogWriter.open(file).writer)
        file.failNext = .syncFailed(errno: 5)
        XCTAssertThrowsError(try log.appendAndWait([1]))
        let failed = Counter()
        log.append(contentsOf: [([2], { if case .failure = $0 { failed.add(1) } }), ([3], { if case .failure = $0 { failed.add(1) } })])
        XCTAssertEqual(failed.value, 2)
        log.close()
    }

    func testReopenAppendsAfterExistingRecords() throws {
        let path = temporaryPath()
        do {
            let log = GroupCommitLog(writer: try LogWriter.open(PosixLogFile(path: path)).writer)
            try log.appendAndWait([1])
            try log.appendAndWait([2])
            log.close()
        }
        let (writer, recovered) = try LogWriter.open(PosixLogFile(path: path))
        XCTAssertEqual(recovered.records, [[1], [2]])
        let log = GroupCommitLog(writer: writer)
        try log.appendAndWait([3])
        log.close()
        XCTAssertEqual(try LogWriter.open(PosixLogFile(path: path)).recovered.records, [[1], [2], [3]])
    }

    func testAFailedSyncFailsThatGroupAndEveryLaterAppend() throws {
        let file = SimulatedLogFile()
        let log = GroupCommitLog(writer: try LogWriter.open(file).writer)
        try log.appendAndWait([1])
        file.failNext = .syncFailed(errno: 28)
        XCTAssertThrowsError(try log.appendAndWait([2])) { XCTAssertEqual($0 as? StorageError, .syncFailed(errno: 28)) }
        XCTAssertThrowsError(try log.appendAndWait([3])) { XCTAssertEqual($0 as? StorageError, .syncFailed(errno: 28)) }
        log.close()
    }

    func testOpenFailureNamesThePath() {
        XCTAssertThrowsError(try PosixLogFile(path: "/nonexistent-dir/x/log")) { error in
            XCTAssertEqual(error as? StorageError, .openFailed(path: "/nonexistent-dir/x/log", errno: 2))
            XCTAssertTrue("\(error)".contains("no such file"))
        }
    }
}

final class Counter: @unchecked Sendable {
    // Guards `count`.
    private let lock = NSLock()
    private var count = 0
    func add(_ n: Int) { lock.lock(); count += n; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
