import Foundation
import Simulation
import TestSupport
import XCTest

/// A seed is a complete description of a run: the same seed gives the same
/// event trace in this process, in another process, and a different seed a different one.
final class SimulationDeterminismTests: XCTestCase {
    func testTheSameSeedReplaysTheSameRunInProcess() {
        for seed: UInt64 in [3, 17] {
            let a = Simulation.run(seed: seed, configuration: .ci)
            let b = Simulation.run(seed: seed, configuration: .ci)
            XCTAssertEqual(a.traceHash, b.traceHash, "seed \(seed)")
            XCTAssertEqual(a.traceEvents, b.traceEvents)
            XCTAssertEqual(a.statistics, b.statistics)
            XCTAssertGreaterThan(a.traceEvents, 50)
        }
        XCTAssertNotEqual(Simulation.run(seed: 3, configuration: .ci).traceHash, Simulation.run(seed: 4, configuration: .ci).traceHash)
    }

    /// Another process has another seed for Swift's hashing, so a behaviour
    /// that depended on dictionary order would show up here.
    func testTheExecutableReplaysTheSameTraceInAnotherProcess() throws {
        let exe = Executables.url("simulate").path
        guard FileManager.default.isExecutableFile(atPath: exe) else {
            throw XCTSkip("the simulate executable was not built next to the tests (\(exe))")
        }
        let seed: UInt64 = 11
        let local = Simulation.run(seed: seed, configuration: .ci)
        let out = try Executables.run(exe, ["--seed", String(seed), "--profile", "ci"])
        XCTAssertTrue(out.stdout.contains("seed \(seed): trace \(local.traceHash) (\(local.traceEvents) events)"), out.stdout)
        XCTAssertEqual(out.status, local.violation == nil ? 0 : 1)
    }
}
