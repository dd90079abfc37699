import Ethereum
import Hashing
import Rollup

/// libFuzzer entry for the batch decoder (scripts/fuzz). Properties: a batch
/// that decodes re-encodes to exactly the input (one encoding per batch, so
/// one hash), decodes again to an equal value, has 1…`maxBlocks` blocks and
/// at most one block per 4 input bytes and one item per 2, and every
/// transaction carried raw decodes from its own bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeRawBufferPointer(start: data, count: size))
    let batch: Batch
    do throws(BatchDecodingError) {
        batch = try Batch(encoded: input)
    } catch {
        check(!error.description.isEmpty, "empty error description")
        return 0
    }
    let encoded = batch.encoded()
    check(encoded == input, "re-encoding differs from the input")
    check(batch.hash == Keccak256.hash(input), "hash is not keccak256(encoding)")
    check((try? Batch(encoded: encoded)) == batch, "decoding the re-encoding gives another batch")
    check((1...BatchCodec.maxBlocks).contains(batch.blocks.count) && batch.blocks.count <= size / 4,
          "\(batch.blocks.count) blocks from \(size) bytes")
    let items = batch.blocks.reduce(0) { $0 + $1.items.count }
    check(items <= size / 2 && batch.transactionCount <= items, "\(items) items from \(size) bytes")
    for block in batch.blocks {
        for case .transaction(let tx) in block.items where !isCompact(tx.transaction, chainID: batch.chainID) {
            check((try? SignedTransaction.decode(tx.raw)) == tx, "a raw transaction does not decode from its bytes")
        }
    }
    return 0
}

/// Whether `BatchCodec` writes `t` in the compact form rather than raw.
private func isCompact(_ t: Transaction, chainID: UInt64) -> Bool {
    t.chainID == chainID && t.to != nil && t.accessList.isEmpty
}

/// Fails the run with `message` when `condition` is false, in every build
/// configuration (unlike `precondition`, which `-Ounchecked` removes).
private func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
