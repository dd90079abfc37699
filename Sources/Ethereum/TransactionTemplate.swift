import Primitives
import Secp256k1

/// A transaction described the way a person asks for one, with sane
/// defaults filled in when it is built: type 2, gas = intrinsic gas, max fee
/// 2 gwei, priority fee 1 gwei (capped at the max fee), gas price 1 gwei for
/// types 0 and 1. Backs `sequencer tx sign --key HEX --chain-id N --nonce N
/// --to ADDR [--value WEI] [--type 0|1|2] [--gas N] [--max-fee WEI]
/// [--priority-fee WEI] [--gas-price WEI] [--data HEX]`.
public struct TransactionTemplate: Sendable, Hashable {
    /// 2 gwei: above the rollup's base fee floor with room for it to rise.
    public static let defaultMaxFeePerGas = UInt256(2_000_000_000)
    /// 1 gwei.
    public static let defaultMaxPriorityFeePerGas = UInt256(1_000_000_000)
    /// 1 gwei.
    public static let defaultGasPrice = UInt256(1_000_000_000)

    /// The command-line options `init(options:)` reads (names without "--"),
    /// with a value placeholder and help text, for building the flag set.
    public static let options: [(name: String, value: String, help: String)] = [
        ("key", "HEX", "Private key of the sender (32 bytes hex)."),
        ("chain-id", "N", "Chain id (EIP-155)."),
        ("nonce", "N", "Sender nonce."),
        ("to", "ADDR", "Recipient address (EIP-55 checksum checked when mixed case)."),
        ("value", "WEI", "Value in wei (decimal, 0x-hex, or with a gwei/ether suffix; default 0)."),
        ("type", "0|1|2", "Transaction type: 0 legacy, 1 EIP-2930, 2 EIP-1559 (default 2)."),
        ("gas", "N", "Gas limit (default: the intrinsic gas)."),
        ("max-fee", "WEI", "Type 2: max fee per gas (default 2 gwei)."),
        ("priority-fee", "WEI", "Type 2: max priority fee per gas (default 1 gwei)."),
        ("gas-price", "WEI", "Types 0 and 1: gas price (default 1 gwei)."),
        ("data", "HEX", "Call data (default empty)."),
    ]

    public var type: TransactionType
    public var chainID: UInt64
    public var nonce: UInt64
    /// Nil: contract creation.
    public var to: Address?
    public var value: UInt256
    public var data: [UInt8]
    /// Ignored for legacy transactions.
    public var accessList: [AccessListEntry]
    /// Nil: the intrinsic gas.
    public var gasLimit: UInt64?
    /// Type 2 only; nil: `defaultMaxFeePerGas`.
    public var maxFeePerGas: UInt256?
    /// Type 2 only; nil: `defaultMaxPriorityFeePerGas`, capped at the max fee.
    public var maxPriorityFeePerGas: UInt256?
    /// Types 0 and 1 only; nil: `defaultGasPrice`.
    public var gasPrice: UInt256?

    /// A template; nil gas and fee fields take the defaults when built.
    public init(type: TransactionType = .dynamicFee, chainID: UInt64, nonce: UInt64, to: Address?,
                value: UInt256 = .zero, data: [UInt8] = [], accessList: [AccessListEntry] = [],
                gasLimit: UInt64? = nil, maxFeePerGas: UInt256? = nil, maxPriorityFeePerGas: UInt256? = nil,
                gasPrice: UInt256? = nil) {
        self.type = type
        self.chainID = chainID
        self.nonce = nonce
        self.to = to
        self.value = value
        self.data = data
        self.accessList = accessList
        self.gasLimit = gasLimit
        self.maxFeePerGas = maxFeePerGas
        self.maxPriorityFeePerGas = maxPriorityFeePerGas
        self.gasPrice = gasPrice
    }

    /// Reads the `options` above from parsed flag values (names without
    /// "--"); other keys, "key" included, are ignored.
    public init(options: [String: String]) throws(TransactionTemplateError) {
        let typeNumber = try Self.number("type", options["type"] ?? "2")
        guard let type = TransactionType(rawValue: UInt8(truncatingIfNeeded: typeNumber)), typeNumber <= 2 else {
            throw .invalidValue(option: "type", value: options["type"] ?? "")
        }
        guard let chainText = options["chain-id"] else { throw .missingOption("chain-id") }
        guard let nonceText = options["nonce"] else { throw .missingOption("nonce") }
        guard let toText = options["to"] else { throw .missingOption("to") }
        guard let to = Address(checksummed: toText) else { throw .invalidValue(option: "to", value: toText) }
        var data: [UInt8] = []
        if let dataText = options["data"] {
            guard let bytes = Hex.decode(dataText) else { throw .invalidValue(option: "data", value: dataText) }
            data = bytes
        }
        let value = try options["value"].map { text throws(TransactionTemplateError) in try Self.wei("value", text) }
        self.init(type: type, chainID: try Self.number("chain-id", chainText), nonce: try Self.number("nonce", nonceText),
                  to: to, value: value ?? .zero, data: data)
        if let gas = options["gas"] { gasLimit = try Self.number("gas", gas) }
        for (option, isType2Only) in [("max-fee", true), ("priority-fee", true), ("gas-price", false)]
        where options[option] != nil && isType2Only != (type == .dynamicFee) {
            throw .optionNotForType(option: option, type: type)
        }
        if let fee = options["max-fee"] { maxFeePerGas = try Self.wei("max-fee", fee) }
        if let fee = options["priority-fee"] { maxPriorityFeePerGas = try Self.wei("priority-fee", fee) }
        if let price = options["gas-price"] { gasPrice = try Self.wei("gas-price", price) }
    }

    /// The transaction with defaults applied. Throws when the fees are
    /// inconsistent or the gas limit is below the intrinsic gas.
    public func transaction() throws(TransactionTemplateError) -> Transaction {
        let maxFee: UInt256
        let priorityFee: UInt256
        if type == .dynamicFee {
            maxFee = maxFeePerGas ?? Self.defaultMaxFeePerGas
            priorityFee = maxPriorityFeePerGas ?? min(Self.defaultMaxPriorityFeePerGas, maxFee)
            if priorityFee > maxFee { throw .priorityFeeAboveMaxFee }
        } else {
            maxFee = gasPrice ?? Self.defaultGasPrice
            priorityFee = maxFee
        }
        var tx = Transaction(type: type, chainID: chainID, nonce: nonce, maxPriorityFeePerGas: priorityFee,
                             maxFeePerGas: maxFee, gasLimit: 0, to: to, value: value, data: data,
                             accessList: type == .legacy ? [] : accessList)
        let intrinsic = tx.intrinsicGas
        tx.gasLimit = gasLimit ?? intrinsic
        if tx.gasLimit < intrinsic { throw .gasBelowIntrinsic(gas: tx.gasLimit, intrinsic: intrinsic) }
        if tx.maxGasCost == nil { throw .gasCostOverflow }
        return tx
    }

    /// Builds and signs the transaction.
    public func signed(with key: Secp256k1.PrivateKey) throws(TransactionTemplateError) -> SignedTransaction {
        try transaction().signed(with: key)
    }

    /// Reads the template and the "key" option from flag values, then signs:
    /// all of `tx sign` but printing.
    public static func sign(options: [String: String]) throws(TransactionTemplateError) -> SignedTransaction {
        guard let keyText = options["key"] else { throw .missingOption("key") }
        return try TransactionTemplate(options: options).signed(with: try privateKey(hex: keyText))
    }

    /// Parses a private key given as 64 hex digits ("0x" optional).
    public static func privateKey(hex text: String) throws(TransactionTemplateError) -> Secp256k1.PrivateKey {
        guard let bytes = Hex.decode(text), bytes.count == 32, let key = try? Secp256k1.PrivateKey(bytes: bytes) else {
            throw .invalidPrivateKey
        }
        return key
    }

    private static func number(_ option: String, _ text: String) throws(TransactionTemplateError) -> UInt64 {
        guard let value = parseInteger(text)?.uint64 else { throw .invalidValue(option: option, value: text) }
        return value
    }

    private static func wei(_ option: String, _ text: String) throws(TransactionTemplateError) -> UInt256 {
        let units: [(suffix: String, factor: UInt64)] = [("gwei", 1_000_000_000), ("ether", 1_000_000_000_000_000_000),
                                                         ("eth", 1_000_000_000_000_000_000), ("wei", 1)]
        let lowered = text.lowercased()
        for unit in units where lowered.hasSuffix(unit.suffix) {
            let digits = lowered.dropLast(unit.suffix.count).trimmingSpaces()
            guard let amount = parseInteger(digits) else { break }
            let (high, low) = amount.multipliedFullWidth(byWord: unit.factor)
            guard high == 0 else { break }
            return low
        }
        guard let value = parseInteger(text) else { throw .invalidValue(option: option, value: text) }
        return value
    }

    /// Decimal, or hex with "0x".
    private static func parseInteger(_ text: some StringProtocol) -> UInt256? {
        text.hasPrefix("0x") || text.hasPrefix("0X") ? UInt256(hexQuantity: text) : UInt256(decimal: text)
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }
}

/// Why a `TransactionTemplate` could not be read or built.
public enum TransactionTemplateError: Error, Equatable, Sendable {
    /// A required option is absent (its name).
    case missingOption(String)
    /// An option's text does not parse.
    case invalidValue(option: String, value: String)
    /// A fee option that the chosen type does not have (max-fee on a legacy transaction…).
    case optionNotForType(option: String, type: TransactionType)
    /// The priority fee exceeds the max fee.
    case priorityFeeAboveMaxFee
    /// The gas limit given is below the transaction's intrinsic gas.
    case gasBelowIntrinsic(gas: UInt64, intrinsic: UInt64)
    /// gas × max fee exceeds 2^256 − 1.
    case gasCostOverflow
    /// The key is not 32 bytes of hex in 1 ..< n.
    case invalidPrivateKey

    /// The text a command line prints.
    public var message: String {
        switch self {
        case .missingOption(let name): return "missing --\(name)"
        case .invalidValue(let option, let value): return "invalid value for --\(option): \(value)"
        case .optionNotForType(let option, let type): return "--\(option) does not apply to type \(type.rawValue) transactions"
        case .priorityFeeAboveMaxFee: return "max priority fee per gas higher than max fee per gas"
        case .gasBelowIntrinsic(let gas, let intrinsic): return "intrinsic gas too low: gas \(gas), minimum needed \(intrinsic)"
        case .gasCostOverflow: return "gas limit × max fee per gas exceeds 2^256-1"
        case .invalidPrivateKey: return "invalid private key (want 32 bytes hex, below the curve order)"
        }
    }
}
