import Ethereum
import Primitives

/// The compact batch encoding posted to L1, where every byte costs gas.
///
/// Signatures (64 bytes of r ‖ s) cannot be compressed, so the rest is
/// squeezed: the chain id is stated once; recipients and (tip, fee cap, gas
/// limit) triples go into tables indexed by varints; numbers are LEB128
/// varints; amounts are decimal mantissa × 10^exponent; the y parity and
/// the type share one header byte per item. A simple transfer costs about
/// 70 bytes. Layout (version 1):
///
///     version(1) chainID(v) previousBatchHash(32) firstBlock(v) cursor(v) postStateRoot(32)
///     addressCount(v) address(20)*   profileCount(v) (tip(a) feeCap(a) gasLimit(v))*
///     blockCount(v) block*
///     block = timestampDelta(v) l1OriginDelta(v) withdrawalsRoot(0 | 1 ‖ 32) itemCount(v) item*
///     item  = head(1) …   head bits 0-1: 0 legacy, 1 EIP-2930, 2 EIP-1559, 3 special
///       typed/legacy: bit 2 y parity, bit 3 has data; nonce(v) profile(v) to(v) value(a) [len(v) data] r(32) s(32)
///       special 0x03: forced reference, queueIndex(v); 0x07: raw transaction, len(v) raw;
///       0x0B: dev operation, len(v) `DevOperation.encoded`
///
/// (v) is a varint, (a) an amount (`BatchWriter.amount`). Deltas are from
/// the previous block of the batch (the first block's are absolute), modulo
/// 2^64 so even an invalid (decreasing) block context round-trips and is
/// refused by `CanonicalChain`, not by the codec.
/// Transactions that do not fit the compact form (another chain id, pre-EIP-155,
/// access lists, contract creation) travel raw.
public enum BatchCodec {
    public static let version: UInt8 = 1
    /// The largest batch accepted, in bytes.
    public static let maxBatchBytes = 16 << 20
    /// The most blocks one batch may carry.
    public static let maxBlocks = 1 << 16
    /// The largest raw transaction or data field, as `ChainConfiguration.maxTransactionBytes` by default.
    public static let maxTransactionBytes = 128 * 1024

    struct FeeProfile: Hashable {
        var tip: UInt256
        var feeCap: UInt256
        var gasLimit: UInt64
    }

    /// The canonical encoding of `batch`.
    public static func encode(_ batch: Batch) -> [UInt8] {
        var addresses: [Address] = [], addressIndex: [Address: Int] = [:]
        var profiles: [FeeProfile] = [], profileIndex: [FeeProfile: Int] = [:]
        for block in batch.blocks {
            for case .transaction(let tx) in block.items where isCompact(tx, chainID: batch.chainID) {
                let t = tx.transaction
                if addressIndex[t.to!] == nil { addressIndex[t.to!] = addresses.count; addresses.append(t.to!) }
                let p = FeeProfile(tip: t.maxPriorityFeePerGas, feeCap: t.maxFeePerGas, gasLimit: t.gasLimit)
                if profileIndex[p] == nil { profileIndex[p] = profiles.count; profiles.append(p) }
            }
        }
        var w = BatchWriter()
        w.bytes.reserveCapacity(256 + batch.transactionCount * 72)
        w.byte(version)
        w.varint(batch.chainID)
        w.raw(batch.previousBatchHash.bytes)
        w.varint(batch.firstBlockNumber)
        w.varint(batch.forcedQueueCursor)
        w.raw(batch.postStateRoot.bytes)
        w.varint(UInt64(addresses.count))
        for a in addresses { w.raw(a.bytes) }
        w.varint(UInt64(profiles.count))
        for p in profiles {
            w.amount(p.tip)
            w.amount(p.feeCap)
            w.varint(p.gasLimit)
        }
        w.varint(UInt64(batch.blocks.count))
        var previous: BatchBlock?
        for block in batch.blocks {
            w.varint(block.timestamp &- (previous?.timestamp ?? 0))
            w.varint(block.l1OriginNumber &- (previous?.l1OriginNumber ?? 0))
            if block.withdrawalsRoot == .zero { w.byte(0) } else { w.byte(1); w.raw(block.withdrawalsRoot.bytes) }
            w.varint(UInt64(block.items.count))
            for item in block.items {
                switch item {
                case .forced(let queueIndex):
                    w.byte(0x03)
                    w.varint(queueIndex)
                case .transaction(let tx) where isCompact(tx, chainID: batch.chainID):
                    let t = tx.transaction
                    let kind: UInt8 = t.type == .legacy ? 0 : t.type == .accessList ? 1 : 2
                    w.byte(kind | tx.yParity << 2 | (t.data.isEmpty ? 0 : 8))
                    w.varint(t.nonce)
                    w.varint(UInt64(profileIndex[FeeProfile(tip: t.maxPriorityFeePerGas, feeCap: t.maxFeePerGas, gasLimit: t.gasLimit)]!))
                    w.varint(UInt64(addressIndex[t.to!]!))
                    w.amount(t.value)
                    if !t.data.isEmpty { w.varint(UInt64(t.data.count)); w.raw(t.data) }
                    w.raw(tx.r.bigEndianBytes)
                    w.raw(tx.s.bigEndianBytes)
                case .transaction(let tx):
                    w.byte(0x07)
                    w.varint(UInt64(tx.raw.count))
                    w.raw(tx.raw)
                case .dev(let op):
                    let bytes = op.encoded
                    w.byte(0x0B)
                    w.varint(UInt64(bytes.count))
                    w.raw(bytes)
                }
            }
            previous = block
        }
        return w.bytes
    }

    /// Decodes `bytes`, refusing oversize input, counts beyond limits or
    /// beyond what the input could hold, indexes outside the tables, values
    /// beyond 256 bits, trailing bytes, and any encoding that is not the
    /// canonical one (re-encoding must give the same bytes).
    public static func decode(_ bytes: [UInt8]) throws(BatchDecodingError) -> Batch {
        guard bytes.count <= maxBatchBytes else { throw .tooLarge(bytes: bytes.count, limit: maxBatchBytes) }
        var r = BatchReader(bytes: bytes)
        let v = try r.byte()
        guard v == version else { throw .unsupportedVersion(v) }
        let chainID = try r.varint()
        let previousBatchHash = try r.hash()
        let firstBlock = try r.varint()
        let cursor = try r.varint()
        let postStateRoot = try r.hash()
        let addressCount = try r.count("address", limit: maxBatchBytes, minimumSize: 20)
        var addresses: [Address] = []
        addresses.reserveCapacity(addressCount)
        for _ in 0..<addressCount { addresses.append(Address(try r.raw(20))!) }
        let profileCount = try r.count("fee profile", limit: maxBatchBytes, minimumSize: 5)
        var profiles: [FeeProfile] = []
        profiles.reserveCapacity(profileCount)
        for _ in 0..<profileCount {
            profiles.append(FeeProfile(tip: try r.amount(), feeCap: try r.amount(), gasLimit: try r.varint()))
        }
        let blockCount = try r.count("block", limit: maxBlocks, minimumSize: 4)
        guard blockCount > 0 else { throw .empty }
        var blocks: [BatchBlock] = []
        blocks.reserveCapacity(blockCount)
        var previous: BatchBlock?
        for _ in 0..<blockCount {
            let timestamp = (previous?.timestamp ?? 0) &+ (try r.varint())
            let origin = (previous?.l1OriginNumber ?? 0) &+ (try r.varint())
            let flag = try r.byte()
            guard flag <= 1 else { throw .invalidItemHeader(offset: r.offset - 1, byte: flag) }
            let withdrawalsRoot = flag == 0 ? Hash32.zero : try r.hash()
            let itemCount = try r.count("item", limit: maxBatchBytes, minimumSize: 2)
            var items: [BatchItem] = []
            // A claimed count only bounds the loop; memory grows with items actually decoded.
            items.reserveCapacity(Swift.min(itemCount, 1_024))
            for _ in 0..<itemCount {
                items.append(try decodeItem(&r, chainID: chainID, addresses: addresses, profiles: profiles))
            }
            let block = BatchBlock(timestamp: timestamp, l1OriginNumber: origin, items: items, withdrawalsRoot: withdrawalsRoot)
            blocks.append(block)
            previous = block
        }
        if r.remaining > 0 { throw .trailingBytes(count: r.remaining) }
        let batch = Batch(chainID: chainID, previousBatchHash: previousBatchHash, firstBlockNumber: firstBlock,
                          forcedQueueCursor: cursor, postStateRoot: postStateRoot, blocks: blocks)
        guard encode(batch) == bytes else { throw .nonCanonical }
        return batch
    }

    private static func decodeItem(_ r: inout BatchReader, chainID: UInt64, addresses: [Address],
                                   profiles: [FeeProfile]) throws(BatchDecodingError) -> BatchItem {
        let start = r.offset
        let head = try r.byte()
        switch head {
        case 0x03:
            return .forced(queueIndex: try r.varint())
        case 0x07:
            let n = try r.varint()
            guard n <= UInt64(maxTransactionBytes) else { throw .countTooLarge(field: "raw transaction byte", count: n, limit: maxTransactionBytes) }
            let raw = try r.raw(Int(n))
            do throws(TransactionDecodingError) {
                return .transaction(try SignedTransaction.decode(raw))
            } catch {
                throw .invalidTransaction(offset: start, error)
            }
        case 0x0B:
            let n = try r.varint()
            guard n <= UInt64(maxTransactionBytes) else { throw .countTooLarge(field: "dev operation byte", count: n, limit: maxTransactionBytes) }
            guard let op = DevOperation(encoded: try r.raw(Int(n))) else { throw .invalidItemHeader(offset: start, byte: head) }
            return .dev(op)
        default:
            guard head & 0xF0 == 0, head & 3 != 3 else { throw .invalidItemHeader(offset: start, byte: head) }
        }
        let type: TransactionType = head & 3 == 0 ? .legacy : head & 3 == 1 ? .accessList : .dynamicFee
        let nonce = try r.varint()
        let p = try r.varint()
        guard p < UInt64(profiles.count) else { throw .indexOutOfRange(field: "fee profile", index: p, count: profiles.count) }
        let profile = profiles[Int(p)]
        if type != .dynamicFee && profile.tip != profile.feeCap { throw .legacyFeeMismatch(offset: start) }
        let a = try r.varint()
        guard a < UInt64(addresses.count) else { throw .indexOutOfRange(field: "address", index: a, count: addresses.count) }
        let value = try r.amount()
        var data: [UInt8] = []
        if head & 8 != 0 {
            let n = try r.varint()
            guard n > 0, n <= UInt64(maxTransactionBytes) else { throw .countTooLarge(field: "data byte", count: n, limit: maxTransactionBytes) }
            data = try r.raw(Int(n))
        }
        let rValue = UInt256(bigEndianBytes: try r.raw(32))!
        let sValue = UInt256(bigEndianBytes: try r.raw(32))!
        let t = Transaction(type: type, chainID: chainID, nonce: nonce, maxPriorityFeePerGas: profile.tip,
                            maxFeePerGas: profile.feeCap, gasLimit: profile.gasLimit, to: addresses[Int(a)], value: value, data: data)
        return .transaction(SignedTransaction(transaction: t, r: rValue, s: sValue, yParity: (head >> 2) & 1))
    }

    /// Whether `tx` has the compact form: it is for `chainID` (EIP-155 for
    /// legacy), names a recipient and has no access list.
    static func isCompact(_ tx: SignedTransaction, chainID: UInt64) -> Bool {
        let t = tx.transaction
        return t.chainID == chainID && t.to != nil && t.accessList.isEmpty
    }
}
