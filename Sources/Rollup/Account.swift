import Hashing
import Primitives
import RLP

/// An L2 account. There is no EVM, so no code and no storage: the state of
/// an address is its nonce and its balance.
public struct Account: Sendable, Hashable {
    public var nonce: UInt64
    public var balance: UInt256

    public init(nonce: UInt64 = 0, balance: UInt256 = .zero) {
        self.nonce = nonce
        self.balance = balance
    }

    public static let empty = Account()

    /// Keccak-256 of the empty byte string: the code hash of an account without code.
    static let emptyCodeHash = Keccak256.hash([UInt8]())

    /// Ethereum's account encoding, RLP([nonce, balance, storageRoot, codeHash]),
    /// so the state root is the one an Ethereum client would compute.
    var encoded: [UInt8] {
        var e = RLPEncoder(reservingCapacity: 80)
        e.appendList { e in
            e.append(nonce)
            e.append(balance)
            e.append(bytes: emptyStorageRootBytes)
            e.append(bytes: emptyCodeHashBytes)
        }
        return e.bytes
    }

    init?(encoded bytes: [UInt8]) {
        guard let item = try? RLP.decode(bytes), let fields = item.list, fields.count == 4,
              let n = fields[0].bytes, n.count <= 8, let b = fields[1].bytes, let balance = UInt256(bigEndianBytes: b)
        else { return nil }
        var nonce: UInt64 = 0
        for byte in n { nonce = nonce << 8 | UInt64(byte) }
        self.init(nonce: nonce, balance: balance)
    }
}

private let emptyStorageRootBytes = [UInt8](hexLiteral: "56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421")
private let emptyCodeHashBytes = Account.emptyCodeHash.bytes

extension Array where Element == UInt8 {
    init(hexLiteral: String) { self = Hex.decode(hexLiteral)! }
}
