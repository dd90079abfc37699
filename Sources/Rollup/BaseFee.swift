import Primitives

/// EIP-1559's base fee rule, with a floor so an idle L2 never gets free blocks.
public enum BaseFee {
    /// The base fee of the block after one with `parentBaseFee` that used `parentGasUsed`.
    public static func next(parentBaseFee: UInt256, parentGasUsed: UInt64, configuration c: ChainConfiguration) -> UInt256 {
        let target = c.gasTarget
        var fee = parentBaseFee
        if target > 0 && parentGasUsed != target {
            let used = UInt256(parentGasUsed), targetFee = UInt256(target), denominator = UInt256(c.baseFeeChangeDenominator)
            if parentGasUsed > target {
                let (product, overflow) = parentBaseFee.multipliedReportingOverflow(by: used - targetFee)
                let delta = overflow ? UInt256.max : Swift.max(product / targetFee / denominator, UInt256(1))
                let (sum, sumOverflow) = parentBaseFee.addingReportingOverflow(delta)
                fee = sumOverflow ? UInt256.max : sum
            } else {
                let (product, overflow) = parentBaseFee.multipliedReportingOverflow(by: targetFee - used)
                let delta = overflow ? parentBaseFee : product / targetFee / denominator
                fee = parentBaseFee - Swift.min(delta, parentBaseFee)
            }
        }
        return Swift.max(fee, c.baseFeeFloor)
    }
}
