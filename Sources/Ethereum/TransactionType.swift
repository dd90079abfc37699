import Primitives

/// The transaction envelopes the rollup accepts: legacy (untyped RLP list),
/// EIP-2930 access-list transactions (type 1) and EIP-1559 dynamic-fee
/// transactions (type 2). Blob (3) and set-code (4) transactions are not
/// supported, so they have no case.
public enum TransactionType: UInt8, Sendable, Hashable, CaseIterable {
    case legacy = 0
    case accessList = 1
    case dynamicFee = 2

    /// Whether the encoding is an EIP-2718 envelope (type byte ‖ RLP list).
    @inlinable
    public var isTyped: Bool { self != .legacy }
}

/// One entry of an EIP-2930 access list: an address and the storage slots of
/// it the transaction declares it will touch (each pre-warmed for gas).
public struct AccessListEntry: Sendable, Hashable {
    /// The account whose storage is declared.
    public var address: Address
    /// The declared slots, each 32 bytes.
    public var storageKeys: [Hash32]

    /// An entry for `address`, declaring `storageKeys` (none: the account only).
    public init(address: Address, storageKeys: [Hash32] = []) {
        self.address = address
        self.storageKeys = storageKeys
    }
}
