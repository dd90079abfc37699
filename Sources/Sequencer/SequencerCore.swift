import Ethereum
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

    /// What a client is told about its transaction.
    public enum Outcome: Sendable, Equatable {
        case sequenced(ChainPosition, timestamp: UInt64)
        case queued
        case rejected(SubmissionRejection)
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
    }

    public let configuration: Configuration
    public private(set) var head: L2Block
    public private(set) var headState: WorldState
    public private(set) var open: BlockBuilder?
    public private(set) var mempool: Mempool
    /// The newest L1 block the sequencer has seen; new blocks take it as origin.
    public var l1Origin: UInt64 = 0
    private var openedAtMillis: UInt64 = 0

    public init(configuration: Configuration, genesis: L2Block, genesisState: WorldState) {
        self.configuration = configuration
        self.head = genesis
        self.headState = genesisState
        self.mempool = Mempool(limits: configuration.mempool)
    }

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

    /// When the open block must be sealed, in milliseconds, or nil with no open block.
    public var sealDeadline: UInt64? {
        open == nil ? nil : openedAtMillis + configuration.blockTimeMillis
    }

    // MARK: events

    /// A client submitted `tx`, already decoded and with its sender recovered.
    public mutating func submit(_ tx: SignedTransaction, sender: Address, ticket: UInt64, nowMillis: UInt64) -> [Action] {
        var actions: [Action] = []
        func reject(_ r: SubmissionRejection) -> [Action] {
            [.reply(Reply(ticket: ticket, hash: tx.hash, outcome: .rejected(r)))]
        }
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
        if nonce > chainNonce {
            do {
                try StateTransition.checkAgainstState(tx, account: pendingState[sender], baseFee: currentBaseFee, nonceMustMatch: false)
                let replaced = try mempool.insert(tx, sender: sender)
                if let replaced {
                    actions.append(.log(.dropped(hash: replaced.transaction.hash), reply: nil))
                    actions.append(.dropped(replaced.transaction.hash, reason: "replaced by \(tx.hash)"))
                }
            } catch let e as StateTransitionError {
                return reject(.invalid(e))
            } catch let e as MempoolRejection {
                return reject(.mempool(e))
            } catch {
                return reject(.unavailable(reason: "\(error)"))
            }
            actions.append(.log(.queued(raw: tx.raw, sender: sender), reply: Reply(ticket: ticket, hash: tx.hash, outcome: .queued)))
            actions.append(.queued(Mempool.Entry(transaction: tx, sender: sender)))
            return actions
        }
        if mempool.contains(tx.hash) { return reject(.mempool(.alreadyKnown)) }
        do {
            try sequence(tx, sender: sender, ticket: ticket, nowMillis: nowMillis, into: &actions)
        } catch {
            return actions + reject(.invalid(error))
        }
        promote(sender: sender, nowMillis: nowMillis, into: &actions)
        if configuration.blockTimeMillis == 0 { seal(into: &actions) }
        return actions
    }

    /// Time passed: seal the open block if its time is up.
    public mutating func tick(nowMillis: UInt64) -> [Action] {
        var actions: [Action] = []
        if let deadline = sealDeadline, nowMillis >= deadline { seal(into: &actions) }
        return actions
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

    mutating func restoreApply(_ tx: SignedTransaction, sender: Address) throws(StateTransitionError) {
        try open!.apply(tx, sender: sender)
    }

    mutating func restoreInsertIntoMempool(_ tx: SignedTransaction, sender: Address) throws(MempoolRejection) {
        _ = try mempool.insert(tx, sender: sender)
    }

    mutating func restoreRemoveFromMempool(sender: Address, nonce: UInt64) -> Bool {
        mempool.take(sender: sender, nonce: nonce) != nil
    }

    mutating func restoreRemoveFromMempool(hash: Hash32) -> Bool {
        mempool.remove(hash: hash) != nil
    }

    // MARK: internals

    private mutating func openBlockIfNeeded(nowMillis: UInt64, into actions: inout [Action]) {
        guard open == nil else { return }
        let builder = BlockBuilder(parent: head.header, state: headState, timestamp: nowMillis / 1000,
                                   l1OriginNumber: l1Origin, configuration: configuration.chain)
        open = builder
        openedAtMillis = nowMillis
        actions.append(.log(.blockOpened(number: builder.number, timestamp: builder.timestamp, l1Origin: l1Origin), reply: nil))
    }

    private mutating func sequence(_ tx: SignedTransaction, sender: Address, ticket: UInt64?, nowMillis: UInt64,
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
            guard let entry = mempool.take(sender: sender, nonce: next) else { break }
            do {
                try sequence(entry.transaction, sender: sender, ticket: nil, nowMillis: nowMillis, into: &actions)
            } catch {
                actions.append(.log(.dropped(hash: entry.transaction.hash), reply: nil))
                actions.append(.dropped(entry.transaction.hash, reason: error.message))
                break
            }
        }
    }

    private mutating func seal(into actions: inout [Action]) {
        guard let builder = open else { return }
        let block = builder.seal()
        head = block
        headState = builder.state
        open = nil
        actions.append(.log(.blockSealed(number: block.number, hash: block.hash), reply: nil))
        actions.append(.sealed(block))
    }
}
