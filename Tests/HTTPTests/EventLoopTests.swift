import Dispatch
import HTTP
import Synchronization
import XCTest

final class EventLoopTests: XCTestCase {
    func testTasksFromOtherThreadsRunOnTheLoopInOrder() throws {
        let loop = try EventLoop(name: "test")
        try loop.start()
        defer { loop.stopAndJoin() }
        let seen = Collected<Int>()
        let onLoop = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            for i in 0..<250 {
                loop.execute {
                    if loop.inEventLoop { onLoop.wrappingAdd(1, ordering: .relaxed) }
                    seen.append(thread * 1000 + i)
                }
            }
        }
        XCTAssertTrue(eventually { seen.count == 1000 })
        XCTAssertEqual(onLoop.load(ordering: .relaxed), 1000)
        for thread in 0..<4 {
            let mine = seen.all.filter { $0 / 1000 == thread }
            XCTAssertEqual(mine, mine.sorted())
        }
        XCTAssertFalse(loop.inEventLoop)
    }

    func testTimersFireInDeadlineOrderAndCancelledOnesDoNot() throws {
        let loop = try EventLoop(name: "timers")
        try loop.start()
        defer { loop.stopAndJoin() }
        let fired = Collected<Int>()
        loop.execute {
            let now = loop.now0
            loop.scheduleTimer0(at: now + .milliseconds(60)) { fired.append(3) }
            loop.scheduleTimer0(at: now + .milliseconds(20)) { fired.append(1) }
            let cancelled = loop.scheduleTimer0(at: now + .milliseconds(30)) { fired.append(99) }
            loop.scheduleTimer0(at: now + .milliseconds(40)) { fired.append(2) }
            loop.cancelTimer0(cancelled)
        }
        let start = Deadline.now()
        loop.schedule(at: start + .milliseconds(80)) { fired.append(4) }
        XCTAssertTrue(eventually { fired.count == 4 })
        XCTAssertEqual(fired.all, [1, 2, 3, 4])
        XCTAssertGreaterThanOrEqual(Deadline.now().nanoseconds - start.nanoseconds, 80_000_000)
    }
}
