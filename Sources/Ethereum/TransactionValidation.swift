import Primitives

/// The stateless rules a decoded transaction must meet to be admitted here,
/// beyond being well formed: the chain id, replay protection, contract
/// creation, size limits, intrinsic gas and consistent fee fields. State
/// checks (nonce, balance, base fee) belong to the state transition.
///
/// A plain value read by every I/O thread; `admit` is what the node calls
/// for each submitted transaction, and the ethereum/tests vectors run
/// through the same function.
public struct TransactionValidation: Sendable, Hashable {
    /// The EIP-3860 limit on init code, 2 × 24576 bytes.
    public static let defaultMaxInitCodeSize = 49_152
    /// The largest encoded transaction accepted, as geth's pool: 128 KiB.
    public static let defaultMaxTransactionSize = 128 * 1024

    /// The chain id every transaction must carry.
    public var chainID: UInt64
    /// Whether pre-EIP-155 legacy transactions (no chain id) are accepted.
    public var allowUnprotectedLegacy: Bool
    /// Whether transactions without a recipient are accepted.
    public var allowContractCreation: Bool
    /// The largest encoded transaction accepted, in bytes.
    public var maxTransactionSize: Int
    /// The largest contract-creation data accepted, in bytes.
    public var maxInitCodeSize: Int

    /// Rules for `chainID`; by default only replay-protected transactions
    /// with a recipient, as the rollup admits (DESIGN §3).
    public init(chainID: UInt64, allowUnprotectedLegacy: Bool = false, allowContractCreation: Bool = false,
                maxTransactionSize: Int = defaultMaxTransactionSize, maxInitCodeSize: Int = defaultMaxInitCodeSize) {
        self.chainID = chainID
        self.allowUnprotectedLegacy = allowUnprotectedLegacy
        self.allowContractCreation = allowContractCreation
        self.maxTransactionSize = maxTransactionSize
        self.maxInitCodeSize = maxInitCodeSize
    }

    /// Checks `transaction` against the rules, cheapest first.
    public func validate(_ transaction: SignedTransaction) throws(TransactionValidationError) {
        if transaction.raw.count > maxTransactionSize {
            throw .oversized(size: transaction.raw.count, limit: maxTransactionSize)
        }
        try validate(transaction.transaction)
    }

    /// Checks the unsigned fields (everything but the encoded size).
    public func validate(_ tx: Transaction) throws(TransactionValidationError) {
        switch tx.chainID {
        case nil where tx.type == .legacy:
            if !allowUnprotectedLegacy { throw .unprotected }
        case let id?:
            if id != chainID { throw .wrongChainID(expected: chainID, got: id) }
        case nil:
            throw .wrongChainID(expected: chainID, got: 0)
        }
        if tx.type != .dynamicFee && tx.maxPriorityFeePerGas != tx.maxFeePerGas { throw .inconsistentGasPrice }
        if tx.type == .legacy && !tx.accessList.isEmpty { throw .accessListNotAllowed }
        if tx.maxPriorityFeePerGas > tx.maxFeePerGas { throw .priorityFeeAboveMaxFee }
        if tx.maxGasCost == nil { throw .gasCostOverflow }
        if tx.to == nil {
            if !allowContractCreation { throw .contractCreationNotSupported }
            if tx.data.count > maxInitCodeSize { throw .initCodeTooLarge(size: tx.data.count, limit: maxInitCodeSize) }
        }
        let intrinsic = tx.intrinsicGas
        if tx.gasLimit < intrinsic { throw .intrinsicGasTooLow(gas: tx.gasLimit, intrinsic: intrinsic) }
    }

    /// Everything an I/O thread does with a submitted raw transaction: size
    /// check, strict decode, these rules, then sender recovery (the costly
    /// step, last).
    public func admit(_ raw: [UInt8]) throws(TransactionRejection) -> (transaction: SignedTransaction, sender: Address) {
        if raw.count > maxTransactionSize {
            throw .invalid(.oversized(size: raw.count, limit: maxTransactionSize))
        }
        let tx: SignedTransaction
        do {
            tx = try SignedTransaction.decode(raw)
        } catch {
            throw .malformed(error)
        }
        return try admit(decoded: tx)
    }

    /// `admit(_:)` reading borrowed memory (a request body).
    public func admit(buffer: UnsafeRawBufferPointer) throws(TransactionRejection) -> (transaction: SignedTransaction, sender: Address) {
        if buffer.count > maxTransactionSize {
            throw .invalid(.oversized(size: buffer.count, limit: maxTransactionSize))
        }
        let tx: SignedTransaction
        do {
            tx = try SignedTransaction.decode(buffer: buffer)
        } catch {
            throw .malformed(error)
        }
        return try admit(decoded: tx)
    }

    private func admit(decoded tx: SignedTransaction) throws(TransactionRejection) -> (transaction: SignedTransaction, sender: Address) {
        do {
            try validate(tx)
        } catch {
            throw .invalid(error)
        }
        do {
            return (tx, try tx.recoverSender())
        } catch {
            throw .malformed(error)
        }
    }
}

/// Why a well-formed transaction breaks a `TransactionValidation` rule.
public enum TransactionValidationError: Error, Equatable, Sendable {
    /// The encoding is larger than the limit (both in bytes).
    case oversized(size: Int, limit: Int)
    /// The transaction is for another chain.
    case wrongChainID(expected: UInt64, got: UInt64)
    /// A pre-EIP-155 legacy transaction where replay protection is required.
    case unprotected
    /// A contract creation where they are not supported.
    case contractCreationNotSupported
    /// Contract creation with more init code than EIP-3860 allows.
    case initCodeTooLarge(size: Int, limit: Int)
    /// The gas limit is below the intrinsic gas.
    case intrinsicGasTooLow(gas: UInt64, intrinsic: UInt64)
    /// maxPriorityFeePerGas > maxFeePerGas.
    case priorityFeeAboveMaxFee
    /// gasLimit × maxFeePerGas exceeds 2^256 − 1.
    case gasCostOverflow
    /// A legacy or EIP-2930 transaction whose two fee fields differ (they
    /// both hold the gas price).
    case inconsistentGasPrice
    /// A legacy transaction with an access list, which it cannot encode.
    case accessListNotAllowed

    /// The error text, in geth's wording where it has one.
    public var message: String {
        switch self {
        case .oversized(let size, let limit):
            return "oversized data: transaction size \(size), limit \(limit)"
        case .wrongChainID(let expected, let got):
            return "invalid chain id for signer: have \(got) want \(expected)"
        case .unprotected:
            return "only replay-protected (EIP-155) transactions allowed over RPC"
        case .contractCreationNotSupported:
            return "contract creation is not supported"
        case .initCodeTooLarge(let size, let limit):
            return "max initcode size exceeded: code size \(size) limit \(limit)"
        case .intrinsicGasTooLow(let gas, let intrinsic):
            return "intrinsic gas too low: gas \(gas), minimum needed \(intrinsic)"
        case .priorityFeeAboveMaxFee:
            return "max priority fee per gas higher than max fee per gas"
        case .gasCostOverflow:
            return "gas limit × max fee per gas exceeds 2^256-1"
        case .inconsistentGasPrice:
            return "legacy gas price must fill both fee fields"
        case .accessListNotAllowed:
            return "legacy transactions cannot carry an access list"
        }
    }
}

/// Why `TransactionValidation.admit` refused a raw transaction: malformed
/// bytes or a bad signature, or a broken admission rule.
public enum TransactionRejection: Error, Equatable, Sendable {
    /// The bytes do not decode, or the signature recovers no sender.
    case malformed(TransactionDecodingError)
    /// A well-formed transaction that breaks an admission rule.
    case invalid(TransactionValidationError)

    /// The JSON-RPC error text.
    public var message: String {
        switch self {
        case .malformed(let e): return e.message
        case .invalid(let e): return e.message
        }
    }
}
