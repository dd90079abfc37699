import Ethereum
import Primitives

/// Why a transaction cannot be executed against the current state. Every
/// party running the state transition rejects the same transactions for the
/// same reasons; `message` is the text Ethereum clients use, so wallets
/// recognise it.
public enum StateTransitionError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidChainID(expected: UInt64, got: UInt64?)
    case typeNotSupported(UInt8)
    case contractCreationNotSupported
    case oversized(bytes: Int, limit: Int)
    case nonceTooLow(expected: UInt64, got: UInt64)
    case nonceTooHigh(expected: UInt64, got: UInt64)
    case intrinsicGasTooLow(gasLimit: UInt64, required: UInt64)
    case gasLimitExceedsBlock(gasLimit: UInt64, available: UInt64)
    case feeCapBelowBaseFee(maxFeePerGas: UInt256, baseFee: UInt256)
    case tipAboveFeeCap(maxPriorityFeePerGas: UInt256, maxFeePerGas: UInt256)
    case insufficientFunds(balance: UInt256, cost: UInt256)
    case invalidWithdrawalRecipient(dataLength: Int)
    case malformed(TransactionDecodingError)
    /// A dev operation (set balance, set nonce, impersonation) on a chain that does not allow them.
    case devOperationsNotAllowed

    /// The Ethereum-style message, e.g. "nonce too low: next nonce 3, tx nonce 1".
    public var message: String {
        switch self {
        case let .invalidChainID(expected, got):
            "invalid chain id: expected \(expected), got \(got.map(String.init) ?? "none (pre-EIP-155)")"
        case let .typeNotSupported(t): "transaction type not supported: type \(t)"
        case .contractCreationNotSupported: "contract creation is not supported"
        case let .oversized(bytes, limit): "oversized data: transaction of \(bytes) bytes exceeds the limit of \(limit)"
        case let .nonceTooLow(expected, got): "nonce too low: next nonce \(expected), tx nonce \(got)"
        case let .nonceTooHigh(expected, got): "nonce too high: next nonce \(expected), tx nonce \(got)"
        case let .intrinsicGasTooLow(gasLimit, required): "intrinsic gas too low: gas \(gasLimit), minimum needed \(required)"
        case let .gasLimitExceedsBlock(gasLimit, available): "exceeds block gas limit: gas \(gasLimit), block allows \(available)"
        case let .feeCapBelowBaseFee(maxFee, baseFee):
            "max fee per gas less than block base fee: maxFeePerGas: \(maxFee), baseFee: \(baseFee)"
        case let .tipAboveFeeCap(tip, maxFee):
            "max priority fee per gas higher than max fee per gas: maxPriorityFeePerGas: \(tip), maxFeePerGas: \(maxFee)"
        case let .insufficientFunds(balance, cost):
            "insufficient funds for gas * price + value: balance \(balance), tx cost \(cost)"
        case let .invalidWithdrawalRecipient(length):
            "invalid withdrawal: data must be empty or a 20-byte recipient address, got \(length) bytes"
        case let .malformed(e): e.message
        case .devOperationsNotAllowed: "dev operations are only allowed on a local dev chain"
        }
    }

    public var description: String { message }
}
