import Ethereum
import Foundation
import L1
import Primitives
import Rollup
import Sequencer

extension Demo {
    /// A sequencer that censors one user; the user gets in and out through the L1.
    func censorship() throws {
        say("A sequencer runs with the censor policy against \(victim.checksummed) (the victim).", step: true)
        say("The L1's forced-inclusion delay is \(settings.forceDelay) L1 blocks; withdrawals are final after \(settings.finalityDepth)."
            + (settings.malicious ? " This sequencer also ignores the L1 queue (--malicious)." : ""))
        var bystanderNonce: UInt64 = 0
        func bystanderSends(_ count: Int) throws -> [Hash32] {
            var hashes: [Hash32] = []
            for _ in 0..<count {
                let tx = transfer(bystanderKey, nonce: bystanderNonce, to: recipient, value: UInt256(1_000))
                bystanderNonce += 1
                _ = try send(tx)
                hashes.append(tx.hash)
                try wait("the bystander's transfer to be included") { receiptBlock(tx.hash) != nil }
            }
            return hashes
        }
        _ = try bystanderSends(3)
        say("3 transfers from another user are included at once.", step: true)

        let censored = transfer(victimKey, nonce: 0, to: recipient, value: ether)
        let answered = try send(censored)
        say("The victim sends 1 ETH; the sequencer answers with the hash \(answered.prefix(18))…, like an honest one.", step: true)
        let sentAt = l2Number
        _ = try bystanderSends(3)
        guard receiptBlock(censored.hash) == nil else { throw DemoFailure(description: "the censored transfer was included") }
        say("\(l2Number - sentAt) L2 blocks later it is still not included, while 3 more transfers from others were.", step: true)

        let queued = try l1.enqueueTransaction(censored.raw)
        guard case let .enqueued(index, deadline) = queued else { throw DemoFailure(description: "enqueue answered \(queued)") }
        say("The victim puts the same signed transfer into the L1 forced-inclusion queue (item \(index)); from L1 block \(deadline) anyone may force it in.", step: true)
        let block = try getIntoChain(censored.hash, deadline: deadline)
        say(settings.malicious
            ? "The sequencer ignored the queue; after the delay the victim called forceInclude and the L1 put the transfer in L2 block \(block)."
            : "The sequencer, bound by the queue whatever its policy, included the transfer in L2 block \(block).", step: true)

        let l1Before = try l1.balance(of: victim)
        let exit = transfer(victimKey, nonce: 1, to: ChainConfiguration.withdrawalAddress, value: ether)
        _ = try send(exit)
        let exitQueued = try l1.enqueueTransaction(exit.raw)
        guard case let .enqueued(exitIndex, exitDeadline) = exitQueued else { throw DemoFailure(description: "enqueue answered \(exitQueued)") }
        say("The victim exits: a 1 ETH withdrawal, sent to the sequencer (withheld again) and queued on L1 (item \(exitIndex)).", step: true)
        let exitBlock = try getIntoChain(exit.hash, deadline: exitDeadline)
        say("The withdrawal is in L2 block \(exitBlock); it is burned on L2 and committed in the block's withdrawal tree.", step: true)
        try wait("L2 block \(exitBlock) to be final on L1") { try l1.l2Head().finalizedL2Block >= exitBlock }
        say("L2 block \(exitBlock) is now \(settings.finalityDepth) L1 blocks deep: final.", step: true)
        guard let l2Block = node?.runtime.store.block(number: exitBlock) else { throw DemoFailure(description: "no block \(exitBlock)") }
        let amount = try claim(withdrawalIn: l2Block, of: exit.hash)
        let l1After = try l1.balance(of: victim)
        guard l1After == l1Before + amount else { throw DemoFailure(description: "L1 balance \(l1Before) → \(l1After), expected +\(amount)") }
        say("Claimed on L1 with a Merkle proof: the victim's L1 balance grew by \(amount) wei.", step: true)
        do {
            _ = try claim(withdrawalIn: l2Block, of: exit.hash)
            throw DemoFailure(description: "a second claim was paid")
        } catch let e as L1ClientError {
            say("A second claim is refused: \(e).", step: true)
        }
    }

    /// Waits until `hash` is in the sequencer's chain; in malicious mode forces it in through the L1 after `deadline`.
    private func getIntoChain(_ hash: Hash32, deadline: UInt64) throws -> UInt64 {
        if settings.malicious {
            try wait("L1 block \(deadline)") { l1Number >= deadline }
            // Blocks the sequencer posted in time stay; a batch posted from now on is refused (it skips the
            // overdue item), so a block still unposted is replaced by the forced one and the sequencer reconciles.
            let settle = Date().addingTimeInterval(2)
            while Date() < settle, ((try? l1.l2Head().l2BlockNumber) ?? 0) < l2Number { Thread.sleep(forTimeInterval: 0.05) }
            let outcome = try l1.forceInclude()
            say("L1 block \(l1Number): anyone calls forceInclude → \(outcome).")
        }
        var block: UInt64?
        try wait("the transaction to be included") {
            block = receiptBlock(hash)
            return block != nil
        }
        return block!
    }

    /// No sequencer at all: a forced transfer and a forced exit with only the L1, then the sequencer returns.
    func sequencerDown() throws {
        say("Only the L1 runs: there is no sequencer at all.", step: true)
        let pay = transfer(victimKey, nonce: 0, to: recipient, value: ether)
        let exit = transfer(victimKey, nonce: 1, to: ChainConfiguration.withdrawalAddress, value: ether)
        let recipientBefore = try derivedAccount(recipient).balance
        _ = try l1.enqueueTransaction(pay.raw)
        let queued = try l1.enqueueTransaction(exit.raw)
        guard case let .enqueued(_, deadline) = queued else { throw DemoFailure(description: "enqueue answered \(queued)") }
        say("A user queues a 1 ETH transfer and a 1 ETH withdrawal on L1; from L1 block \(deadline) anyone may force them in.", step: true)
        try wait("L1 block \(deadline)") { l1Number >= deadline }
        let outcome = try l1.forceInclude()
        guard case let .forceIncluded(_, l2Block, items) = outcome, items == 2 else { throw DemoFailure(description: "forceInclude answered \(outcome)") }
        say("forceInclude: the L1 itself appended L2 block \(l2Block) with both items; no sequencer was involved.", step: true)
        let recipientAfter = try derivedAccount(recipient).balance
        let nonce = try derivedAccount(victim).nonce
        guard recipientAfter == recipientBefore + ether, nonce == 2 else {
            throw DemoFailure(description: "derived state: recipient \(recipientAfter), user nonce \(nonce)")
        }
        say("Deriving the L2 state from L1 data alone: the recipient got 1 ETH and the user's nonce is 2: both executed.", step: true)
        try wait("L2 block \(l2Block) to be final") { try l1.l2Head().finalizedL2Block >= l2Block }
        var forcedBlock: L2Block?
        _ = try L1Derivation.derive(from: l1, configuration: l1Configuration) { if $0.number == l2Block { forcedBlock = $0 } }
        guard let forcedBlock else { throw DemoFailure(description: "block \(l2Block) not derived") }
        let before = try l1.balance(of: victim)
        let amount = try claim(withdrawalIn: forcedBlock, of: exit.hash)
        guard try l1.balance(of: victim) == before + amount else { throw DemoFailure(description: "the claim did not pay") }
        say("With the sequencer still down, the user claims the withdrawal on L1: +\(amount) wei.", step: true)

        var config = NodeConfiguration()
        config.port = 0
        config.logging = false
        config.l1 = .remote(url: "http://127.0.0.1:\(l1Server!.port)")
        config.l1PollInterval = .milliseconds(100)
        config.dataDirectory = NSTemporaryDirectory() + "sequencer-demo-node-" + UUID().uuidString.prefix(8).lowercased()
        let node = try SequencerNode(configuration: config)
        try node.start()
        defer { node.shutdown() }
        say("The sequencer comes back with an empty log.", step: true)
        let l1Head = try l1.l2Head()
        try wait("the sequencer to catch up") { node.runtime.store.headNumber >= l1Head.l2BlockNumber }
        guard node.runtime.store.block(number: l1Head.l2BlockNumber)?.header.stateRoot == l1Head.stateRoot else {
            throw DemoFailure(description: "the sequencer's state root differs from the L1's")
        }
        say("It rebuilt L2 block \(l1Head.l2BlockNumber) from the L1; its state root equals the one derived from L1 (\(l1Head.stateRoot.description.prefix(18))…).", step: true)
    }

    private func derivedAccount(_ a: Address) throws -> Account {
        try L1Derivation.derive(from: l1, configuration: l1Configuration).state[a]
    }
}
