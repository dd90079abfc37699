import Ethereum
import Primitives
import Rollup

/// A saved copy of the core, for dev snapshots (a class so the core can hold copies of itself).
final class SnapshotBox: Sendable {
    let core: SequencerCore
    init(_ core: SequencerCore) { self.core = core }
}

/// Why a dev request cannot be carried out.
public enum DevOperationError: Error, Sendable, Equatable, CustomStringConvertible {
    case notAllowed
    case rejected(StateTransitionError)
    case alreadySequenced(Hash32, ChainPosition?)
    case unknownTransaction(Hash32)
    case timestampBeforeHead(requested: UInt64, head: UInt64)

    public var description: String {
        switch self {
        case .notAllowed:
            "dev methods change state only on the dev node with its embedded L1 (start `sequencer` without --l1); this chain does not allow dev operations"
        case let .rejected(e): e.message
        case let .alreadySequenced(h, p):
            "transaction \(h) is already pre-confirmed\(p.map { " at \($0)" } ?? ""): a sequencer does not break its promises, so it cannot be dropped"
        case let .unknownTransaction(h): "transaction \(h) is not waiting in the queue"
        case let .timestampBeforeHead(t, h): "timestamp \(t) is before the latest block's timestamp \(h)"
        }
    }
}

/// Dev-chain controls for wallet test suites (`evm_*`, `anvil_*`, `hardhat_*`):
/// state changes are `DevOperation`s carried in the block, so the L1 and
/// `sequencer derive` replay them; snapshots are copies of the whole core.
extension SequencerCore {
    /// Applies `op` as the next item of the open block (opening one if needed).
    public mutating func applyDev(_ op: DevOperation, nowMillis: UInt64) -> Result<[Action], DevOperationError> {
        guard configuration.chain.allowsDevOperations else { return .failure(.notAllowed) }
        var actions: [Action] = []
        if case let .impersonated(tx, _) = op, let o = open, tx.transaction.gasLimit > o.context.gasRemaining, !o.isEmpty {
            seal(into: &actions)
        }
        let wasOpen = open != nil
        openBlockIfNeeded(nowMillis: nowMillis, into: &actions)
        do {
            try open!.applyDev(op)
        } catch {
            if !wasOpen, open!.isEmpty {
                open = nil
                if case .log(.blockOpened, _)? = actions.last { actions.removeLast() }
            }
            return .failure(.rejected(error))
        }
        actions.append(.log(.dev(operation: op.encoded), reply: nil))
        if case .impersonated = op, let o = open {
            actions.append(.sequenced(o.executed.last!, ChainPosition(blockNumber: o.number, index: o.executed.count - 1),
                                      timestamp: o.timestamp))
        }
        if case .setNonce = op { releaseWaiting(nowMillis: nowMillis, into: &actions) }
        if sealsEachTransaction { seal(into: &actions) }
        return .success(actions)
    }

    /// Replays a logged dev operation into the open block.
    mutating func restoreDev(_ op: DevOperation) throws(StateTransitionError) -> [Action] {
        try open!.applyDev(op)
        if case .impersonated = op, let o = open {
            return [.sequenced(o.executed.last!, ChainPosition(blockNumber: o.number, index: o.executed.count - 1), timestamp: o.timestamp)]
        }
        return []
    }

    /// Mines `count` blocks: the open block first (if any), then empty ones,
    /// `intervalSeconds` apart; the first new block takes `timestamp` if given.
    public mutating func mine(count: UInt64, intervalSeconds: UInt64?, timestamp: UInt64?, nowMillis: UInt64) -> Result<[Action], DevOperationError> {
        var actions: [Action] = []
        var remaining = count
        if open != nil && timestamp == nil {
            seal(into: &actions)
            remaining -= remaining > 0 ? 1 : 0
        } else if open != nil {
            seal(into: &actions)
        }
        if let timestamp {
            guard timestamp >= head.header.timestamp else { return .failure(.timestampBeforeHead(requested: timestamp, head: head.header.timestamp)) }
            nextTimestamp = timestamp
        }
        var first = true
        while remaining > 0 {
            if !first, let interval = intervalSeconds { nextTimestamp = head.header.timestamp + interval }
            first = false
            openBlockIfNeeded(nowMillis: nowMillis, into: &actions)
            seal(into: &actions)
            remaining -= 1
        }
        return .success(actions)
    }

    /// Sets how blocks are sealed: nil only on request, 0 one per transaction, else every `millis`.
    public mutating func setBlockTime(_ millis: UInt64?, nowMillis: UInt64) -> [Action] {
        blockTimeMillis = millis
        var actions: [Action] = []
        if millis == 0, open != nil { seal(into: &actions) }
        return actions
    }

    /// Moves the chain's clock forward by `seconds` for the blocks to come; returns the total offset.
    public mutating func increaseTime(by seconds: Int64) -> Int64 {
        timeOffsetSeconds = timeOffsetSeconds.addingReportingOverflow(seconds).overflow ? timeOffsetSeconds : timeOffsetSeconds + seconds
        return timeOffsetSeconds
    }

    /// The next block opened gets exactly `timestamp`.
    public mutating func setNextBlockTimestamp(_ timestamp: UInt64) -> Result<Void, DevOperationError> {
        let latest = open?.timestamp ?? head.header.timestamp
        guard timestamp >= latest else { return .failure(.timestampBeforeHead(requested: timestamp, head: latest)) }
        nextTimestamp = timestamp
        return .success(())
    }

    /// Removes a waiting transaction (`anvil_dropTransaction`); one already placed keeps its place.
    public mutating func dropWaiting(_ hash: Hash32) -> Result<[Action], DevOperationError> {
        guard mempool.remove(hash: hash) != nil else { return .failure(.unknownTransaction(hash)) }
        return .success([.log(.dropped(hash: hash), reply: nil), .dropped(hash, reason: "dropped by anvil_dropTransaction")])
    }

    /// Saves the whole core under a new id (`evm_snapshot`).
    public mutating func takeSnapshot() -> (id: UInt64, actions: [Action]) {
        let id = nextSnapshotID
        return (id, takeSnapshot(id: id))
    }

    mutating func takeSnapshot(id: UInt64) -> [Action] {
        nextSnapshotID = Swift.max(nextSnapshotID, id + 1)
        snapshots[id] = SnapshotBox(self)
        return [.log(.snapshot(id: id), reply: nil), .snapshotTaken(id: id)]
    }

    /// Returns to snapshot `id` (`evm_revert`), which is consumed with every later one;
    /// id 0 is genesis (`anvil_reset`). The ordering controls and mining mode stay as they are.
    public mutating func revert(toSnapshot id: UInt64) -> [Action]? {
        let saved: SequencerCore
        if id == 0 {
            saved = SequencerCore(configuration: configuration, genesis: genesis.block, genesisState: genesis.state)
        } else {
            guard let box = snapshots[id] else { return nil }
            saved = box.core
        }
        let keep = (policy, censored, paused, blockTimeMillis, nextSnapshotID)
        self = saved
        (policy, censored, paused, blockTimeMillis, nextSnapshotID) = keep
        snapshots = snapshots.filter { $0.key < id }
        return [.log(.revert(id: id), reply: nil), .restored(snapshot: id)]
    }
}
