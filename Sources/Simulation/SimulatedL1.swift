import Ethereum
import L1
import Primitives
import Rollup
import Storage

/// The L1 of the simulation: the production `L1Node` (an `L1Chain` value
/// and its append-only log) on a simulated disk, with its own block clock.
/// It can go down (every call fails as if unreachable) and restart, which
/// rebuilds the chain from its durable log with the node's own recovery.
///
/// It also keeps what any archive observer of the L1 can know: the L2 blocks
/// the inbox made canonical (from accepted batches and forced inclusions,
/// each checked against the L1's record of its hash), which users need to
/// build withdrawal proofs and the checker needs to compare chains.
///
/// Touched only by the simulation's single thread.
public final class SimulatedL1: @unchecked Sendable {
    public let configuration: L1Configuration
    let defect: Defect?
    private let file = SimulatedLogFile()
    private var node: L1Node?
    /// Simulated time of the next block.
    private(set) var nextBlockAtMillis: UInt64
    let blockMillis: UInt64
    /// Canonical L2 blocks by number, genesis first, as the inbox made them.
    private(set) var canonicalBlocks: [L2Block]
    /// Canonical L2 block numbers the L1 built itself with `forceInclude`.
    private(set) var forcedBlockNumbers: Set<UInt64> = []
    /// How many times the L1 was restarted.
    private(set) var restarts = 0

    init(configuration: L1Configuration, genesis: L2Block, blockMillis: UInt64, nowMillis: UInt64, defect: Defect?) throws(L1Error) {
        self.configuration = configuration
        self.defect = defect
        self.blockMillis = blockMillis
        self.nextBlockAtMillis = nowMillis + blockMillis
        self.canonicalBlocks = [genesis]
        node = try L1Node(configuration: configuration, file: file)
    }

    public var isUp: Bool { node != nil }

    /// The whole L1 state; nil while it is down.
    public var chain: L1Chain? { node?.snapshot }

    /// Why a call failed: the L1's refusal, or no L1 at all.
    enum CallError: Error {
        case down
        case refused(L1Error)

        var clientError: L1ClientError {
            switch self {
            case .down: .transport("L1 is down (simulated)")
            case let .refused(e): L1ClientError(e)
            }
        }
    }

    func submit(_ tx: L1Transaction) throws(CallError) -> L1Outcome {
        guard let node else { throw .down }
        do throws(L1Error) { return try node.submit(tx) } catch { throw .refused(error) }
    }

    /// Reads the chain; throws when the L1 is down.
    func read<R>(_ body: (borrowing L1Chain) -> R) throws(CallError) -> R {
        guard let node else { throw .down }
        return node.read(body)
    }

    /// Mines the next block of the L1's clock, stamped at its scheduled time.
    func mineDueBlock() throws(CallError) -> L1Outcome {
        let at = nextBlockAtMillis
        nextBlockAtMillis += blockMillis
        return try submit(.mine(count: 1, timestamp: at / 1000))
    }

    /// Whether a block is due at `nowMillis`.
    func blockDue(at nowMillis: UInt64) -> Bool { isUp && nowMillis >= nextBlockAtMillis }

    /// The L1 process dies. Every call fails until `restart`.
    func stop() { node = nil }

    /// Starts the L1 again from its durable log (the node's own recovery) and
    /// resumes its block clock from `nowMillis`.
    func restart(nowMillis: UInt64) throws(L1Error) {
        file.crash()
        node = try L1Node(configuration: configuration, file: file)
        nextBlockAtMillis = nowMillis + blockMillis
        restarts += 1
    }

    /// Records the blocks of a batch the L1 accepted, checked against the L1's records.
    func noteAccepted(_ blocks: [L2Block]) -> String? {
        guard let chain else { return "the L1 is down" }
        for b in blocks {
            guard b.number == UInt64(canonicalBlocks.count) else {
                return "accepted block \(b.number) does not follow canonical block \(canonicalBlocks.count - 1)"
            }
            guard chain.canonical.record(b.number)?.hash == b.hash else {
                return "accepted block \(b.number) \(b.hash) is not the L1's \(chain.canonical.record(b.number)?.hash.description ?? "none")"
            }
            canonicalBlocks.append(b)
        }
        return nil
    }

    /// ForcedInclusionQueue.forceInclude, keeping the block the L1 builds:
    /// the same `CanonicalChain` call run on a copy first, then checked against the L1's record.
    func forceInclude() throws(CallError) -> (L1Outcome, L2Block?) {
        guard let before = chain else { throw .down }
        var copy = before.canonical
        let expected = copy.applyForcedBlock(l1BlockNumber: before.head.number, timestamp: before.head.timestamp)
        let outcome = try submit(.forceInclude)
        if let expected, case let .forceIncluded(_, number, _) = outcome, number == expected.number,
           chain?.canonical.record(number)?.hash == expected.hash, number == UInt64(canonicalBlocks.count) {
            canonicalBlocks.append(expected)
            forcedBlockNumbers.insert(number)
            return (outcome, expected)
        }
        return (outcome, nil)
    }

    /// Bridge.claimWithdrawal; the defect `l1PaysClaimTwice` reports a payout for a second claim.
    func claimWithdrawal(_ w: Withdrawal, proof: [Hash32]) throws(CallError) -> L1Outcome {
        do {
            return try submit(.claimWithdrawal(w, proof: proof))
        } catch let .refused(.alreadyClaimed(n, i)) {
            if defect == .l1PaysClaimTwice { return .claimed(recipient: w.recipient, amount: w.amount) }
            throw .refused(.alreadyClaimed(l2BlockNumber: n, index: i))
        }
    }
}
