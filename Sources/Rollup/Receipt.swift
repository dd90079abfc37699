import Ethereum
import Primitives
import RLP

/// The outcome of one executed transaction. Transfers cannot fail once
/// admitted, so status is always success; a transfer to the withdrawal
/// address carries its withdrawal.
public struct Receipt: Sendable, Hashable {
    public var type: TransactionType
    public var gasUsed: UInt64
    public var cumulativeGasUsed: UInt64
    public var effectiveGasPrice: UInt256
    public var withdrawal: Withdrawal?

    public init(type: TransactionType, gasUsed: UInt64, cumulativeGasUsed: UInt64, effectiveGasPrice: UInt256, withdrawal: Withdrawal? = nil) {
        self.type = type
        self.gasUsed = gasUsed
        self.cumulativeGasUsed = cumulativeGasUsed
        self.effectiveGasPrice = effectiveGasPrice
        self.withdrawal = withdrawal
    }

    /// Ethereum's consensus encoding (type ‖ RLP([status, cumulativeGas, bloom, logs])),
    /// the leaf of the receipts root.
    public var consensusEncoding: [UInt8] {
        var e = RLPEncoder(reservingCapacity: 300)
        if type != .legacy { e.bytes.append(type.rawValue) }
        e.appendList { e in
            e.append(UInt64(1))
            e.append(cumulativeGasUsed)
            e.append(bytes: Receipt.emptyBloom)
            e.appendListHeader(payloadLength: 0)
        }
        return e.bytes
    }

    static let emptyBloom = [UInt8](repeating: 0, count: 256)
}
