import Ethereum
import Hashing
import Primitives
import Rollup

/// The serial heart of the sequencer: admits transactions, fixes their
/// place first-come-first-served, keeps the open block and the queue of
/// waiting transactions, and seals blocks on time. Deterministic and free
/// of I/O: each event returns the actions to perform (log this record,
/// answer this client once the log is durable, publish this block), so
/// tests and simulations drive it without threads, disks or clocks.
/// Owned by one thread (the sequencer thread) in the running node.
public struct SequencerCore: Sendable {
    public struct Configuration: Sendable {
        public var chain: ChainConfiguration
        /// Milliseconds a block stays open; 0 seals one block per transaction.
        public var blockTimeMillis: UInt64
        public var mempool: Mempool.Limits

        public init(chain: ChainConfiguration, blockTimeMillis: UInt64 = 250, mempool: Mempool.Limits = .init()) {
            self.chain = chain
            self.blockTimeMillis = blockTimeMillis
            self.mempool = mempool
        }
    }

    /// What a client is told about its transaction. A client may hear
    /// `queued` first and `sequenced` later for the same transaction.
    public enum Outcome: Sendable, Equatable {
        case sequenced(ChainPosition, timestamp: UInt64)
        case queued(QueueReason)
        case rejected(SubmissionRejection)
    }

    /// Why an accepted transaction has no place yet.
    public enum QueueReason: Sendable, Equatable {
        /// Earlier nonces of its sender are missing.
        case nonceGap
        /// The policy orders the window when the block is sealed.
        case awaitingSeal
    }

    /// An answer owed to the client that submitted with `ticket`.
    public struct Reply: Sendable, Equatable {
        public let ticket: UInt64
        public let hash: Hash32
        public let outcome: Outcome
    }

    public enum Action: Sendable {
        /// Append to the write-ahead log; send `reply` only once it is durable.
        case log(LogRecord, reply: Reply?)
        /// Answer now (rejections: nothing was promised).
        case reply(Reply)
        /// A transaction took its place (from a client or promoted from the queue).
        case sequenced(ExecutedTransaction, ChainPosition, timestamp: UInt64)
        case queued(Mempool.Entry)
        case dropped(Hash32, reason: String)
        case sealed(L2Block)
        /// An L1 forced-queue item took its place (executed, deposited or skipped).
        case forcedIncluded(ForcedItem, ForcedOutcome, blockNumber: UInt64)
        /// Every block above `toBlock` was abandoned (reconciliation with the L1).
        case rewound(toBlock: UInt64)
        /// A pre-confirmed transaction could not keep its promised place.
        case preconfirmationBroken(BrokenPreConfirmation)
        /// Dev: the chain as it is now was saved as snapshot `id`.
        case snapshotTaken(id: UInt64)
        /// Dev: the chain went back to snapshot `snapshot` (0: genesis).
        case restored(snapshot: UInt64)
    }

    public let configuration: Configuration
    /// How transactions are ordered; changeable at run time (admin).
    public internal(set) var policy: any OrderingPolicy = FirstComeFirstServed()
    /// Addresses whose transactions (from or to) are withheld: censorship on demand.
    public internal(set) var censored: Set<Address> = []
    /// While paused, new transactions are refused; accepted ones keep their promises.
    public internal(set) var paused = false
    public internal(set) var head: L2Block
    public internal(set) var headState: WorldState
    public internal(set) var open: BlockBuilder?
    public internal(set) var mempool: Mempool
    /// The newest L1 block the sequencer has seen; new blocks take it as origin.
    public var l1Origin: UInt64 = 0
    private var openedAtMillis: UInt64 = 0
    /// When the first transaction of a window-ordered block arrived.
    private var windowOpenedAtMillis: UInt64?
    var arrivals: UInt64 = 0
    /// Clients still owed a `sequenced` answer, by transaction hash.
    private var tickets: [Hash32: UInt64] = [:]
    /// Sealed blocks not yet known to be on the L1, with the state after each,
    /// from the last posted one (at first genesis) to the head: what a
    /// reconciliation rewinds to.
    var unposted: [UInt64: (block: L2Block, state: WorldState)] = [:]
    /// Milliseconds a block stays open; 0 seals one block per transaction;
    /// nil seals only on request (dev: automine and interval mining off).
    public internal(set) var blockTimeMillis: UInt64?
    /// Dev time travel: seconds added to the clock for new blocks' timestamps.
    public internal(set) var timeOffsetSeconds: Int64 = 0
    /// Dev time travel: the timestamp of the next block opened, once.
    public internal(set) var nextTimestamp: UInt64?
    /// Dev snapshots by id: the whole core as it was (`evm_snapshot`).
    var snapshots: [UInt64: SnapshotBox] = [:]
    var nextSnapshotID: UInt64 = 1
    let genesis: (block: L2Block, state: WorldState)
    /// While replaying the log: transactions of abandoned blocks not yet seen placed again (see `finishRecovery`).
    var orphans: [AbandonedTransaction] = []
    /// While replaying the log: promises seen broken, reported again by `finishRecovery`.
    var orphanReports: [BrokenPreConfirmation] = []

    public init(configuration: Configuration, genesis: L2Block, genesisState: WorldState) {
        self.configuration = configuration
        self.head = genesis
        self.headState = genesisState
        self.mempool = Mempool(limits: configuration.mempool)
        self.unposted[genesis.number] = (genesis, genesisState)
        self.blockTimeMillis = configuration.blockTimeMillis
        self.genesis = (genesis, genesisState)
    }

    /// Whether each transaction gets a block of its own (block time 0, dev automine).
    public var sealsEachTransaction: Bool { blockTimeMillis == 0 }

    /// The state including the open block: what `pending` reads see.
    public var pendingState: WorldState { open?.state ?? headState }

    /// The next nonce of `sender`, counting the open block and waiting transactions.
    public func pendingNonce(_ sender: Address) -> UInt64 {
        mempool.pendingNonce(sender: sender, chainNonce: pendingState[sender].nonce)
    }

    /// The base fee the next transaction pays.
    public var currentBaseFee: UInt256 {
        open?.baseFee ?? BaseFee.next(parentBaseFee: head.header.baseFeePerGas, parentGasUsed: head.header.gasUsed,
                                      configuration: configuration.chain)
    }

    /// When the open block must be sealed (or the window ordered), in
    /// milliseconds, or nil when there is nothing to do.
    public var sealDeadline: UInt64? {
        let starts = [open == nil ? nil : openedAtMillis, windowOpenedAtMillis].compactMap { $0 }
        guard let blockTime = blockTimeMillis else { return nil }
        return starts.min().map { $0 + blockTime }
    }

    /// Whether a transaction from `sender` is withheld under the censor list.
    public func withholds(_ tx: SignedTransaction, sender: Address) -> Bool {
        !censored.isEmpty && (censored.contains(sender) || tx.transaction.to.map(censored.contains) == true)
    }

    /// The index of the next L1 forced-queue item the chain must consume.
    public var nextForcedIndex: UInt64 { open?.forcedQueueCursor ?? head.header.forcedQueueCursor }

    /// Includes L1 forced-queue items, in queue order, in the open block,
    /// whatever the ordering policy: the honest sequencer's duty. Items the
    /// chain already consumed are ignored; a gap stops the inclusion.
    public mutating func includeForced(_ items: [ForcedItem], nowMillis: UInt64) -> [Action] {
        var actions: [Action] = []
        for item in items.sorted(by: { $0.queueIndex < $1.queueIndex }) where item.queueIndex >= nextForcedIndex {
            guard item.queueIndex == nextForcedIndex else { break }
            openBlockIfNeeded(nowMillis: nowMillis, into: &actions)
            let outcome = open!.applyForced(item)
            actions.append(.log(.forced(item: item.encoded), reply: nil))
            actions.append(.forcedIncluded(item, outcome, blockNumber: open!.number))
            if case .executed = outcome, let last = open!.executed.last {
                actions.append(.sequenced(last, ChainPosition(blockNumber: open!.number, index: open!.executed.count - 1),
                                          timestamp: open!.timestamp))
                dropOutdated(of: last.sender, into: &actions)
            }
        }
        releaseWaiting(nowMillis: nowMillis, into: &actions)
        // A block holding forced items is sealed at once, so it can be posted well before their deadline.
        let included = actions.contains { if case .forcedIncluded = $0 { true } else { false } }
        if included && blockTimeMillis != nil { seal(into: &actions) }
        return actions
    }

    // MARK: operator controls

    /// Switches the ordering policy; transactions waiting for a window are placed by the new one.
    public mutating func setPolicy(_ newPolicy: any OrderingPolicy, nowMillis: UInt64) -> [Action] {
        policy = newPolicy
        var actions: [Action] = []
        if policy.placesOnArrival { promoteReady(nowMillis: nowMillis, into: &actions) }
        else if mempool.count > 0 && windowOpenedAtMillis == nil { windowOpenedAtMillis = nowMillis }
        return actions
    }

    /// Replaces the censor list; released transactions flow again at once (fcfs) or at the next seal.
    public mutating func setCensored(_ addresses: Set<Address>, nowMillis: UInt64) -> [Action] {
        censored = addresses
        var actions: [Action] = []
        if policy.placesOnArrival { promoteReady(nowMillis: nowMillis, into: &actions) }
        else if mempool.count > 0 && windowOpenedAtMillis == nil { windowOpenedAtMillis = nowMillis }
        return actions
    }

    public mutating func setPaused(_ value: Bool) { paused = value }

    // MARK: events

    /// A client submitted `tx`, already decoded and with its sender recovered.
    public mutating func submit(_ tx: SignedTransaction, sender: Address, ticket: UInt64, nowMillis: UInt64) -> [Action] {
        var actions: [Action] = []
        func reject(_ r: SubmissionRejection) -> [Action] {
            [.reply(Reply(ticket: ticket, hash: tx.hash, outcome: .rejected(r)))]
        }
        if paused { return reject(.paused) }
        do {
            try StateTransition.checkStateless(tx, configuration: configuration.chain)
        } catch {
            return reject(.invalid(error))
        }
        let chainNonce = pendingState[sender].nonce
        let nonce = tx.transaction.nonce
        if nonce < chainNonce {
            return reject(.invalid(.nonceTooLow(expected: chainNonce, got: nonce)))
        }
        if mempool.contains(tx.hash) { return reject(.mempool(.alreadyKnown)) }
        let withheld = withholds(tx, sender: sender)
        if nonce == chainNonce && policy.placesOnArrival && !withheld {
            do {
                try sequence(tx, sender: sender, ticket: ticket, nowMillis: nowMillis, into: &actions)
            } catch {
                return actions + reject(.invalid(error))
            }
            promote(sender: sender, nowMillis: nowMillis, into: &actions)
            if sealsEachTransaction { seal(into: &actions) }
            return actions
        }
        do {
            try StateTransition.checkAgainstState(tx, account: pendingState[sender], baseFee: currentBaseFee, nonceMustMatch: false)
            arrivals += 1
            let replaced = try mempool.insert(tx, sender: sender, arrival: arrivals)
            if let replaced {
                let oldHash = replaced.transaction.hash
                actions.append(.log(.dropped(hash: oldHash), reply: nil))
                actions.append(.dropped(oldHash, reason: "replaced by \(tx.hash)"))
                if let old = tickets.removeValue(forKey: oldHash) {
                    actions.append(.reply(Reply(ticket: old, hash: oldHash, outcome: .rejected(.mempool(.replaced(by: tx.hash))))))
                }
            }
        } catch let e as StateTransitionError {
            return reject(.invalid(e))
        } catch let e as MempoolRejection {
            return reject(.mempool(e))
        } catch {
            return reject(.unavailable(reason: "\(error)"))
        }
        let reason: QueueReason = withheld || nonce < mempool.pendingNonce(sender: sender, chainNonce: chainNonce) ? .awaitingSeal : .nonceGap
        tickets[tx.hash] = ticket
        actions.append(.log(.queued(raw: tx.raw, sender: sender), reply: Reply(ticket: ticket, hash: tx.hash, outcome: .queued(reason))))
        actions.append(.queued(Mempool.Entry(transaction: tx, sender: sender, arrival: arrivals)))
        if !policy.placesOnArrival && windowOpenedAtMillis == nil && !withheld { windowOpenedAtMillis = nowMillis }
        if !policy.placesOnArrival && sealsEachTransaction { orderWindowAndSeal(nowMillis: nowMillis, into: &actions) }
        return actions
    }

    /// Time passed: seal the open block, or order the window and seal it, if its time is up.
    public mutating func tick(nowMillis: UInt64) -> [Action] {
        var actions: [Action] = []
        guard let deadline = sealDeadline, nowMillis >= deadline else { return actions }
        if policy.placesOnArrival {
            windowOpenedAtMillis = nil
            seal(into: &actions)
        } else {
            orderWindowAndSeal(nowMillis: nowMillis, into: &actions)
        }
        return actions
    }

    /// Places every ready, non-withheld waiting transaction in policy order, then seals.
    private mutating func orderWindowAndSeal(nowMillis: UInt64, into actions: inout [Action]) {
        windowOpenedAtMillis = nil
        let state = pendingState
        let ready = mempool.readyEntries(chainNonce: { state[$0].nonce }, skip: { withholds($0.transaction, sender: $0.sender) })
        let window = ready.map { WindowEntry(transaction: $0.transaction, sender: $0.sender, arrival: $0.arrival) }
        let seed = Keccak256.hash(head.hash.bytes)
        for entry in policy.order(window, seed: seed, baseFee: currentBaseFee) {
            guard mempool.take(sender: entry.sender, nonce: entry.transaction.transaction.nonce) != nil else { continue }
            place(entry.transaction, sender: entry.sender, nowMillis: nowMillis, into: &actions)
        }
        seal(into: &actions)
    }

    /// Drops waiting transactions of `sender` whose nonce a forced transaction
    /// used (e.g. the one a censoring sequencer withheld and the user forced in).
    mutating func dropOutdated(of sender: Address, into actions: inout [Action]) {
        for entry in mempool.removeStale(sender: sender, below: pendingState[sender].nonce) {
            let hash = entry.transaction.hash
            let forcedIndex = open?.executed.lastIndex { $0.transaction.hash == hash }
            var reply: Reply?
            if let ticket = tickets.removeValue(forKey: hash) {
                if let forcedIndex, let o = open {
                    reply = Reply(ticket: ticket, hash: hash,
                                  outcome: .sequenced(ChainPosition(blockNumber: o.number, index: forcedIndex), timestamp: o.timestamp))
                } else {
                    let error = StateTransitionError.nonceTooLow(expected: pendingState[sender].nonce, got: entry.transaction.transaction.nonce)
                    reply = Reply(ticket: ticket, hash: hash, outcome: .rejected(.invalid(error)))
                }
            }
            actions.append(.log(.dropped(hash: hash), reply: reply))
            actions.append(.dropped(hash, reason: forcedIndex == nil ? "its nonce was used by a transaction forced in through the L1"
                                                                      : "included through the L1 forced queue"))
        }
    }

    /// After a change that may fill nonce gaps (a forced transaction, a
    /// reconciliation): places what became ready now, or opens the ordering window.
    mutating func releaseWaiting(nowMillis: UInt64, into actions: inout [Action]) {
        guard mempool.count > 0 else { return }
        if policy.placesOnArrival { promoteReady(nowMillis: nowMillis, into: &actions) }
        else if windowOpenedAtMillis == nil { windowOpenedAtMillis = nowMillis }
    }

    /// Places waiting transactions that became ready (released from the censor list, policy switch).
    private mutating func promoteReady(nowMillis: UInt64, into actions: inout [Action]) {
        let state = pendingState
        let ready = mempool.readyEntries(chainNonce: { state[$0].nonce }, skip: { withholds($0.transaction, sender: $0.sender) })
        for e in ready.sorted(by: { $0.arrival < $1.arrival }) {
            guard mempool.take(sender: e.sender, nonce: e.transaction.transaction.nonce) != nil else { continue }
            place(e.transaction, sender: e.sender, nowMillis: nowMillis, into: &actions)
        }
        if sealsEachTransaction { seal(into: &actions) }
    }

    /// Sequences a transaction taken from the queue, answering its client if one waits.
    private mutating func place(_ tx: SignedTransaction, sender: Address, nowMillis: UInt64, into actions: inout [Action]) {
        let ticket = tickets.removeValue(forKey: tx.hash)
        do {
            try sequence(tx, sender: sender, ticket: ticket, nowMillis: nowMillis, into: &actions)
        } catch {
            actions.append(.log(.dropped(hash: tx.hash), reply: nil))
            actions.append(.dropped(tx.hash, reason: error.message))
            if let ticket { actions.append(.reply(Reply(ticket: ticket, hash: tx.hash, outcome: .rejected(.invalid(error))))) }
        }
    }

    /// Seals the open block now, whatever the clock says (shutdown, tests, dev mining).
    public mutating func sealNow() -> [Action] {
        var actions: [Action] = []
        seal(into: &actions)
        return actions
    }

    // MARK: replay support (see SequencerCore+Replay.swift)

    mutating func restoreOpenBlock(number: UInt64, timestamp: UInt64, l1Origin: UInt64, nowMillis: UInt64) {
        open = BlockBuilder(parent: head.header, state: headState, timestamp: timestamp, l1OriginNumber: l1Origin,
                            configuration: configuration.chain)
        self.l1Origin = max(self.l1Origin, l1Origin)
        openedAtMillis = nowMillis
    }

    mutating func restoreForced(_ item: ForcedItem) -> [Action] {
        let outcome = open!.applyForced(item)
        var actions: [Action] = [.forcedIncluded(item, outcome, blockNumber: open!.number)]
        if case .executed = outcome, let last = open!.executed.last {
            actions.append(.sequenced(last, ChainPosition(blockNumber: open!.number, index: open!.executed.count - 1), timestamp: open!.timestamp))
        }
        return actions
    }

    mutating func restoreApply(_ tx: SignedTransaction, sender: Address) throws(StateTransitionError) {
        try open!.apply(tx, sender: sender)
    }

    mutating func restoreInsertIntoMempool(_ tx: SignedTransaction, sender: Address) throws(MempoolRejection) {
        arrivals += 1
        _ = try mempool.insert(tx, sender: sender, arrival: arrivals)
        if !policy.placesOnArrival && windowOpenedAtMillis == nil { windowOpenedAtMillis = 0 }
    }

    mutating func restoreRemoveFromMempool(sender: Address, nonce: UInt64) -> Bool {
        mempool.take(sender: sender, nonce: nonce) != nil
    }

    mutating func restoreRemoveFromMempool(hash: Hash32) -> Bool {
        mempool.remove(hash: hash) != nil
    }

    // MARK: internals

    mutating func openBlockIfNeeded(nowMillis: UInt64, into actions: inout [Action]) {
        guard open == nil else { return }
        let timestamp = nextTimestamp ?? UInt64(clamping: Int64(clamping: nowMillis / 1000) + timeOffsetSeconds)
        nextTimestamp = nil
        let builder = BlockBuilder(parent: head.header, state: headState, timestamp: timestamp,
                                   l1OriginNumber: l1Origin, configuration: configuration.chain)
        open = builder
        openedAtMillis = nowMillis
        actions.append(.log(.blockOpened(number: builder.number, timestamp: builder.timestamp, l1Origin: l1Origin), reply: nil))
    }

    mutating func sequence(_ tx: SignedTransaction, sender: Address, ticket: UInt64?, nowMillis: UInt64,
                                   into actions: inout [Action]) throws(StateTransitionError) {
        if let o = open, tx.transaction.gasLimit > o.context.gasRemaining, !o.isEmpty { seal(into: &actions) }
        let wasOpen = open != nil
        openBlockIfNeeded(nowMillis: nowMillis, into: &actions)
        do {
            try open!.apply(tx, sender: sender)
        } catch {
            if !wasOpen, open!.isEmpty { discardEmptyOpenBlock(&actions) }
            throw error
        }
        let executed = open!.executed.last!
        let position = ChainPosition(blockNumber: open!.number, index: open!.executed.count - 1)
        let timestamp = open!.timestamp
        let reply = ticket.map { Reply(ticket: $0, hash: tx.hash, outcome: .sequenced(position, timestamp: timestamp)) }
        actions.append(.log(.sequenced(raw: tx.raw, sender: sender), reply: reply))
        actions.append(.sequenced(executed, position, timestamp: timestamp))
    }

    /// A block opened for a transaction that was then rejected holds nothing; forget it.
    private mutating func discardEmptyOpenBlock(_ actions: inout [Action]) {
        open = nil
        if case .log(.blockOpened, _)? = actions.last { actions.removeLast() }
    }

    private mutating func promote(sender: Address, nowMillis: UInt64, into actions: inout [Action]) {
        while true {
            let next = pendingState[sender].nonce
            guard let waiting = mempool.entries(of: sender, nonce: next), !withholds(waiting.transaction, sender: sender),
                  let entry = mempool.take(sender: sender, nonce: next) else { break }
            let before = pendingState[sender].nonce
            place(entry.transaction, sender: sender, nowMillis: nowMillis, into: &actions)
            if pendingState[sender].nonce == before { break }
        }
    }

    mutating func seal(into actions: inout [Action]) {
        guard let builder = open else { return }
        let block = builder.seal()
        head = block
        headState = builder.state
        unposted[block.number] = (block, builder.state)
        open = nil
        actions.append(.log(.blockSealed(number: block.number, hash: block.hash), reply: nil))
        actions.append(.sealed(block))
    }
}
