import Ethereum
import L1
import Primitives
import Rollup
import Secp256k1
import Synchronization

/// What a simulated user asks for; with the sender and nonce it fixes the
/// signed transaction completely, so signatures are made once per process
/// and shared by every seed (signing is slow in debug builds).
public enum TransactionKind: Int, Sendable, Hashable, CaseIterable {
    case transferNext = 0, transferSecond, transferThird, transferFourth
    case withdrawToSelf, withdrawToNext

    /// The kinds that move value on L2.
    static let transfers: [TransactionKind] = [.transferNext, .transferSecond, .transferThird, .transferFourth]
    static let withdrawals: [TransactionKind] = [.withdrawToSelf, .withdrawToNext]

    var isWithdrawal: Bool { self == .withdrawToSelf || self == .withdrawToNext }
}

/// Builds and signs the simulation's transactions and deposits from the dev
/// keys, caching every signature for the life of the process.
public final class TransactionFactory: Sendable {
    public static let shared = TransactionFactory()

    struct TransactionKey: Hashable {
        let sender: Int
        let nonce: UInt64
        let kind: TransactionKind
        let users: Int
    }

    struct DepositKey: Hashable {
        let from: Int
        let to: Int
        let amountUnits: UInt64
        let nonce: UInt64
    }

    private let transactions = Mutex<[TransactionKey: SignedTransaction]>([:])
    private let deposits = Mutex<[DepositKey: [UInt8]]>([:])
    private let gwei = UInt256(1_000_000_000)
    private let milliEther = UInt256(1_000_000_000_000_000)

    /// One thousandth of an ether: the unit of simulated amounts.
    public var unit: UInt256 { milliEther }

    /// The signed transaction of user `sender` with `nonce` and `kind`, among `users` users.
    func transaction(sender: Int, nonce: UInt64, kind: TransactionKind, users: Int) -> SignedTransaction {
        let key = TransactionKey(sender: sender, nonce: nonce, kind: kind, users: users)
        if let cached = transactions.withLock({ $0[key] }) { return cached }
        let addresses = DevAccounts.addresses
        let to: Address
        var data: [UInt8] = []
        let value: UInt256
        switch kind {
        case .transferNext, .transferSecond, .transferThird, .transferFourth:
            to = addresses[(sender + 1 + kind.rawValue) % users]
            value = UInt256(UInt64(kind.rawValue + 1)) * milliEther
        case .withdrawToSelf:
            to = ChainConfiguration.withdrawalAddress
            value = UInt256(10) * milliEther
        case .withdrawToNext:
            to = ChainConfiguration.withdrawalAddress
            data = addresses[(sender + 1) % users].bytes
            value = UInt256(7) * milliEther
        }
        let tx = Transaction(type: .dynamicFee, chainID: 31337, nonce: nonce,
                             maxPriorityFeePerGas: UInt256(UInt64(1 + kind.rawValue) * 1_000_000), maxFeePerGas: gwei,
                             gasLimit: 21_000 + UInt64(data.count) * 16, to: to, value: value, data: data)
            .signed(with: DevAccounts.keys[sender])
        transactions.withLock { $0[key] = tx }
        return tx
    }

    /// A deposit request of `amountUnits` thousandths of an ether from user
    /// `from`'s L1 account to user `to` on L2, signed by `from`.
    func deposit(from: Int, to: Int, amountUnits: UInt64, nonce: UInt64) -> DepositRequest {
        let a = DevAccounts.addresses
        let amount = UInt256(amountUnits) * milliEther
        let key = DepositKey(from: from, to: to, amountUnits: amountUnits, nonce: nonce)
        let signature: [UInt8]
        if let cached = deposits.withLock({ $0[key] }) {
            signature = cached
        } else {
            let digest = L1Messages.depositDigest(from: a[from], to: a[to], amount: amount, nonce: nonce)
            signature = PersonalMessage.sign(digest.bytes, with: DevAccounts.keys[from])
            deposits.withLock { $0[key] = signature }
        }
        return DepositRequest(from: a[from], to: a[to], amount: amount, nonce: nonce, signature: signature)
    }
}
