import Simulation
import XCTest

/// The checker is not vacuous: each deliberately broken variant of the
/// system fails the invariant meant to catch it, on seeds where the real
/// system keeps every invariant.
final class SimulationDefectTests: XCTestCase {
    /// Seeds among the first twenty on which the real system violates nothing.
    static let cleanSeeds: [UInt64] = {
        let candidates = Array(UInt64(1)...20)
        return SeedRunner.run(candidates, configuration: .ci).filter { $0.violation == nil }.map(\.seed)
    }()

    /// Runs `defect` on the clean seeds; returns how many were caught by one of `expected`.
    private func caught(_ defect: Defect, by expected: Set<Invariant>) -> Int {
        var configuration = SimulationConfiguration.ci
        configuration.defect = defect
        let seeds = Self.cleanSeeds
        XCTAssertGreaterThanOrEqual(seeds.count, 5, "too few clean seeds to judge the checker")
        let results = SeedRunner.run(seeds, configuration: configuration)
        for r in results {
            // A defect can also push the system into a real bug first; that run proves nothing either way.
            if let v = r.violation, !expected.contains(v.invariant) {
                print("defect \(defect.rawValue) on seed \(r.seed) first tripped \(v.invariant.rawValue): \(v.message)")
            }
        }
        return results.filter { $0.violation.map { expected.contains($0.invariant) } ?? false }.count
    }

    func testASequencerThatDropsForcedTransactionsIsCaught() {
        XCTAssertGreaterThanOrEqual(caught(.sequencerDropsForcedTransactions, by: [.honestSequencerIncludesForcedItems]), 3)
    }

    func testAnL1ThatPaysAClaimTwiceIsCaught() {
        let n = caught(.l1PaysClaimTwice, by: [.withdrawalsPayOnceAfterFinality])
        XCTAssertEqual(n, Self.cleanSeeds.count, "every run claims a withdrawal twice")
    }

    func testACoreThatMovesAPreconfirmedTransactionIsCaught() {
        XCTAssertGreaterThanOrEqual(caught(.coreMovesPreconfirmedTransaction, by: [.preconfirmationsKeptOrReported]),
                                    Self.cleanSeeds.count - 1)
    }

    func testASequencerThatHidesBrokenPreconfirmationsIsCaught() {
        XCTAssertGreaterThanOrEqual(caught(.sequencerHidesBrokenPreconfirmations, by: [.preconfirmationsKeptOrReported]), 1)
    }

    func testASequencerThatAnswersBeforeItsLogIsDurableIsCaught() {
        XCTAssertGreaterThanOrEqual(caught(.repliesBeforeDurable, by: [.preconfirmationsKeptOrReported, .acceptedTransactionsAccountedFor]), 1)
    }
}
