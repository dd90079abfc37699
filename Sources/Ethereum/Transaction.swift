import Hashing
import Primitives
import Secp256k1

/// The fields of an Ethereum transaction that its signature covers: one
/// shape for all three supported envelopes.
///
/// Legacy and EIP-2930 transactions have a single gas price; here it is held
/// in both `maxFeePerGas` and `maxPriorityFeePerGas`, which makes every fee
/// computation the EIP-1559 one (`effectiveGasPrice`). Those two fields must
/// then be equal, and `accessList` must be empty for legacy; the encoder
/// writes `maxFeePerGas` as the gas price. A plain value: any thread may use it.
public struct Transaction: Sendable, Hashable {
    /// The envelope, which fixes the encoding and the fields that exist.
    public var type: TransactionType
    /// The EIP-155 chain id; nil only for a pre-EIP-155 legacy transaction
    /// (which can be replayed on any chain). Typed transactions always carry one.
    public var chainID: UInt64?
    /// The sender's transaction count before this one; always below 2^64 − 1 (EIP-2681).
    public var nonce: UInt64
    /// Legacy and EIP-2930: equals `gasPrice`.
    public var maxPriorityFeePerGas: UInt256
    /// Legacy and EIP-2930: the gas price.
    public var maxFeePerGas: UInt256
    /// The most gas the transaction may use.
    public var gasLimit: UInt64
    /// The recipient; nil for contract creation.
    public var to: Address?
    /// Wei transferred to `to`.
    public var value: UInt256
    /// Call data (init code for a creation); carried, never executed here.
    public var data: [UInt8]
    /// Always empty for legacy transactions.
    public var accessList: [AccessListEntry]

    /// A transaction from its fields; for legacy and EIP-2930 pass the gas
    /// price as both fee fields (or use `legacy(…)`).
    public init(type: TransactionType = .dynamicFee, chainID: UInt64?, nonce: UInt64,
                maxPriorityFeePerGas: UInt256, maxFeePerGas: UInt256, gasLimit: UInt64,
                to: Address?, value: UInt256 = .zero, data: [UInt8] = [],
                accessList: [AccessListEntry] = []) {
        self.type = type
        self.chainID = chainID
        self.nonce = nonce
        self.maxPriorityFeePerGas = maxPriorityFeePerGas
        self.maxFeePerGas = maxFeePerGas
        self.gasLimit = gasLimit
        self.to = to
        self.value = value
        self.data = data
        self.accessList = accessList
    }

    /// A legacy transaction; `chainID` nil makes it pre-EIP-155 (unprotected).
    public static func legacy(chainID: UInt64?, nonce: UInt64, gasPrice: UInt256, gasLimit: UInt64,
                              to: Address?, value: UInt256 = .zero, data: [UInt8] = []) -> Transaction {
        Transaction(type: .legacy, chainID: chainID, nonce: nonce, maxPriorityFeePerGas: gasPrice,
                    maxFeePerGas: gasPrice, gasLimit: gasLimit, to: to, value: value, data: data)
    }

    /// The gas price of a legacy or EIP-2930 transaction (the fee cap of an EIP-1559 one).
    @inlinable
    public var gasPrice: UInt256 { maxFeePerGas }

    /// Whether the transaction creates a contract (`to` is empty).
    @inlinable
    public var isContractCreation: Bool { to == nil }

    /// The price per gas actually paid under `baseFee`:
    /// min(maxFee, baseFee + maxPriorityFee), the same formula for every type
    /// because legacy fees sit in both fields. Nil when the fee cap is below
    /// the base fee (the transaction cannot be included).
    public func effectiveGasPrice(baseFee: UInt256) -> UInt256? {
        guard maxFeePerGas >= baseFee else { return nil }
        let (sum, overflow) = baseFee.addingReportingOverflow(maxPriorityFeePerGas)
        return overflow ? maxFeePerGas : min(maxFeePerGas, sum)
    }

    /// The tip per gas the block producer earns under `baseFee`
    /// (effective price − base fee); nil when the fee cap is below the base fee.
    public func effectiveTip(baseFee: UInt256) -> UInt256? {
        effectiveGasPrice(baseFee: baseFee).map { $0 - baseFee }
    }

    /// gasLimit × maxFeePerGas, the most the transaction can pay for gas;
    /// nil when it overflows 256 bits (such a transaction is invalid).
    public var maxGasCost: UInt256? {
        let (high, low) = maxFeePerGas.multipliedFullWidth(byWord: gasLimit)
        return high == 0 ? low : nil
    }

    /// The gas charged before execution (Shanghai rules, which Cancun keeps):
    /// 21000, plus 16 per non-zero and 4 per zero data byte, 2400 per
    /// access-list address and 1900 per storage key; contract creation adds
    /// 32000 and 2 per 32-byte word of init code (EIP-3860). With no EVM this
    /// is also the gas a transaction uses.
    public var intrinsicGas: UInt64 {
        var gas = GasCost.transaction
        let zeros = data.withUnsafeBytes { Self.zeroByteCount($0) }
        gas += UInt64(zeros) * GasCost.zeroDataByte + UInt64(data.count - zeros) * GasCost.nonZeroDataByte
        if to == nil {
            gas += GasCost.contractCreation + UInt64((data.count + 31) / 32) * GasCost.initCodeWord
        }
        for entry in accessList {
            gas += GasCost.accessListAddress + UInt64(entry.storageKeys.count) * GasCost.accessListStorageKey
        }
        return gas
    }

    private static func zeroByteCount(_ bytes: UnsafeRawBufferPointer) -> Int {
        var zeros = 0
        for b in bytes where b == 0 { zeros += 1 }
        return zeros
    }

    /// Signs the transaction (RFC 6979, low s) and returns it with its
    /// canonical encoding and hash.
    public func signed(with key: Secp256k1.PrivateKey) -> SignedTransaction {
        let digest = signingHash()
        let signature = digest.withUnsafeBytes { key.sign(digest: $0) }
        // Recovery ids 2 and 3 (R.x ≥ n) occur with probability ~2⁻¹²⁷ and
        // cannot be expressed in an Ethereum signature.
        return SignedTransaction(transaction: self,
                                 r: UInt256(bigEndianBytes: signature.r)!,
                                 s: UInt256(bigEndianBytes: signature.s)!,
                                 yParity: signature.recoveryID & 1,
                                 signingHash: digest)
    }
}

/// The gas schedule entries transaction validity depends on.
public enum GasCost {
    /// Every transaction.
    public static let transaction: UInt64 = 21_000
    /// A transaction without a recipient (Homestead).
    public static let contractCreation: UInt64 = 32_000
    /// Each zero byte of data.
    public static let zeroDataByte: UInt64 = 4
    /// Each non-zero byte of data (EIP-2028).
    public static let nonZeroDataByte: UInt64 = 16
    /// Each access-list address (EIP-2930).
    public static let accessListAddress: UInt64 = 2_400
    /// Each access-list storage key (EIP-2930).
    public static let accessListStorageKey: UInt64 = 1_900
    /// Each 32-byte word of init code (EIP-3860).
    public static let initCodeWord: UInt64 = 2
}
