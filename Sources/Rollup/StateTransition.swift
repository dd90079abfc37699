import Ethereum
import Primitives

/// The rollup's rules for one transaction, the single implementation that
/// the sequencer, the L1's batch re-execution and `sequencer derive` share.
/// Pure: it changes only the state and block context it is handed.
public enum StateTransition {
    /// Checks that need no state: chain id, type, creation, size, intrinsic
    /// gas and fee fields. Admission runs these before a transaction queues.
    public static func checkStateless(_ tx: SignedTransaction, configuration c: ChainConfiguration) throws(StateTransitionError) {
        let t = tx.transaction
        if tx.raw.count > c.maxTransactionBytes { throw .oversized(bytes: tx.raw.count, limit: c.maxTransactionBytes) }
        if t.chainID != c.chainID { throw .invalidChainID(expected: c.chainID, got: t.chainID) }
        if t.to == nil { throw .contractCreationNotSupported }
        if t.maxPriorityFeePerGas > t.maxFeePerGas {
            throw .tipAboveFeeCap(maxPriorityFeePerGas: t.maxPriorityFeePerGas, maxFeePerGas: t.maxFeePerGas)
        }
        let intrinsic = t.intrinsicGas
        if t.gasLimit < intrinsic { throw .intrinsicGasTooLow(gasLimit: t.gasLimit, required: intrinsic) }
        if t.gasLimit > c.blockGasLimit { throw .gasLimitExceedsBlock(gasLimit: t.gasLimit, available: c.blockGasLimit) }
        if t.to == ChainConfiguration.withdrawalAddress && !(t.data.isEmpty || t.data.count == 20) {
            throw .invalidWithdrawalRecipient(dataLength: t.data.count)
        }
    }

    /// The most a transaction can cost its sender: value + gasLimit × maxFeePerGas.
    public static func upfrontCost(_ t: Transaction) -> UInt256? {
        let (gasCost, o1) = UInt256(t.gasLimit).multipliedReportingOverflow(by: t.maxFeePerGas)
        let (total, o2) = gasCost.addingReportingOverflow(t.value)
        return o1 || o2 ? nil : total
    }

    /// Checks against the sender's account and the block's base fee, without
    /// changing anything. `nonceMustMatch` is false for admission of a
    /// transaction that waits behind others from the same sender.
    public static func checkAgainstState(_ tx: SignedTransaction, account: Account, baseFee: UInt256,
                                         nonceMustMatch: Bool = true) throws(StateTransitionError) {
        let t = tx.transaction
        if t.nonce < account.nonce { throw .nonceTooLow(expected: account.nonce, got: t.nonce) }
        if nonceMustMatch && t.nonce > account.nonce { throw .nonceTooHigh(expected: account.nonce, got: t.nonce) }
        if t.maxFeePerGas < baseFee { throw .feeCapBelowBaseFee(maxFeePerGas: t.maxFeePerGas, baseFee: baseFee) }
        guard let cost = upfrontCost(t), cost <= account.balance else {
            throw .insufficientFunds(balance: account.balance, cost: upfrontCost(t) ?? .max)
        }
    }

    /// Executes `tx` from `sender`: charges intrinsic gas at the effective
    /// price (base fee burned, tip to the fee recipient), moves the value or
    /// records a withdrawal, bumps the nonce. On rejection nothing changes.
    public static func apply(_ tx: SignedTransaction, sender: Address, to state: inout WorldState,
                             block: inout BlockContext, configuration c: ChainConfiguration) throws(StateTransitionError) -> Receipt {
        try checkStateless(tx, configuration: c)
        let t = tx.transaction
        if t.gasLimit > block.gasRemaining { throw .gasLimitExceedsBlock(gasLimit: t.gasLimit, available: block.gasRemaining) }
        var from = state[sender]
        try checkAgainstState(tx, account: from, baseFee: block.baseFee)

        let gasUsed = t.intrinsicGas
        let tip = Swift.min(t.maxPriorityFeePerGas, t.maxFeePerGas - block.baseFee)
        let price = block.baseFee + tip
        let fee = UInt256(gasUsed) * price
        from.balance -= fee + t.value
        from.nonce += 1
        state[sender] = from

        var withdrawal: Withdrawal?
        let to = t.to!
        if to == ChainConfiguration.withdrawalAddress {
            let recipient = t.data.count == 20 ? Address(t.data)! : sender
            withdrawal = Withdrawal(l2BlockNumber: block.number, index: block.withdrawalCount, sender: sender,
                                    recipient: recipient, amount: t.value, transactionHash: tx.hash)
            block.withdrawalCount += 1
        } else if !t.value.isZero {
            state[to].balance += t.value
        }
        let tipTotal = UInt256(gasUsed) * tip
        if !tipTotal.isZero { state[c.feeRecipient].balance += tipTotal }

        block.gasUsed += gasUsed
        return Receipt(type: t.type, gasUsed: gasUsed, cumulativeGasUsed: block.gasUsed,
                       effectiveGasPrice: price, withdrawal: withdrawal)
    }
}
