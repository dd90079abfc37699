import Ethereum
import Primitives
import Rollup
import Secp256k1

/// Dev keys and helpers shared by the state-transition tests.
enum Fixture {
    static let keys = DevAccounts.keys
    static let addresses = DevAccounts.addresses
    static let feeRecipient = Address(hex: "0x00000000000000000000000000000000000000fe")!
    static let config = ChainConfiguration(chainID: 31337, feeRecipient: feeRecipient)
    static let ether = UInt256(1_000_000_000_000_000_000)
    static let gwei = UInt256(1_000_000_000)

    static func genesis(_ balance: UInt256 = UInt256(100) * ether) -> (block: L2Block, state: WorldState) {
        Genesis.make(allocations: addresses.map { ($0, balance) }, timestamp: 1_000, configuration: config)
    }

    static func transfer(from i: Int, nonce: UInt64, to: Address, value: UInt256, maxFee: UInt256 = gwei,
                         tip: UInt256 = UInt256(1000), gas: UInt64 = 21_000, data: [UInt8] = [], chainID: UInt64? = 31337,
                         type: TransactionType = .dynamicFee) -> SignedTransaction {
        let t = Transaction(type: type, chainID: chainID, nonce: nonce, maxPriorityFeePerGas: type == .dynamicFee ? tip : maxFee,
                            maxFeePerGas: maxFee, gasLimit: gas, to: to, value: value, data: data)
        return t.signed(with: keys[i])
    }
}
