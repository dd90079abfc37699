import Simulation
import XCTest

/// The CI run of the deterministic simulation: a few hundred seeds of the
/// short profile, every invariant checked after every step.
final class SimulationSeedsTests: XCTestCase {
    static let seeds: [UInt64] = Array(1...300)

    func testEverySeedKeepsEveryInvariant() {
        let results = SeedRunner.run(Self.seeds, configuration: .ci)
        var total = SimulationStatistics()
        for r in results { total.add(r.statistics) }
        print(total.summary)
        XCTAssertEqual(total.seeds, Self.seeds.count)
        XCTAssertGreaterThan(total.transactionsSubmitted, 10 * Self.seeds.count / 2, "users must actually transact")
        XCTAssertGreaterThan(total.crashes, 0)
        XCTAssertGreaterThan(total.forceIncludes, 0, "some runs must need the L1's escape hatch")
        XCTAssertGreaterThan(total.reconciliations, 0)
        XCTAssertGreaterThan(total.withdrawalsClaimed, 0)
        let failures = results.compactMap(\.violation)
        for v in failures.prefix(20) { print(v) }
        XCTAssertTrue(failures.isEmpty,
                      "\(failures.count) of \(Self.seeds.count) seeds violated an invariant; first: \(failures.first.map(\.description) ?? "")")
    }
}
