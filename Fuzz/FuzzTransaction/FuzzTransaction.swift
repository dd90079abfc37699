import Ethereum
import Hashing
import JSON
import Primitives

/// ⌊n/2⌋ for secp256k1's group order n: the largest s EIP-2 allows.
private let halfCurveOrder = UInt256(w0: 0xDFE9_2F46_681B_20A0, w1: 0x5D57_6E73_57A4_501D,
                                     w2: 0xFFFF_FFFF_FFFF_FFFF, w3: 0x7FFF_FFFF_FFFF_FFFF)

/// libFuzzer entry for the transaction decoder (scripts/fuzz). Properties: a
/// decoded transaction keeps the input as `raw` and hashes it; re-encoding
/// its fields and signature gives the input again and the same signing hash
/// (which the decoder streams from the input's own bytes); the documented
/// ranges hold (0 < r < n, 0 < s ≤ n/2, y parity 0 or 1, nonce < 2^64 − 1,
/// tip ≤ fee cap, gas cost within 256 bits); both decode entry points agree;
/// sender recovery never traps; and the JSON description (or error object)
/// is valid JSON.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    let bytes = Array(input)
    let decoded = Result { () throws(TransactionDecodingError) in try SignedTransaction.decode(buffer: input) }
    let fromArray = Result { () throws(TransactionDecodingError) in try SignedTransaction.decode(bytes) }
    switch (decoded, fromArray) {
    case (.success(let tx), .success(let again)):
        check(tx == again, "the two decode entry points disagree")
        checkDecoded(tx, input: bytes)
    case (.failure(let a), .failure(let b)):
        check(a == b, "decode(buffer:) threw \(a), decode(_:) threw \(b)")
        check(!a.message.isEmpty, "empty error message")
    default:
        check(false, "decode(buffer:) and decode(_:) disagree")
    }
    let description = TransactionDescription.json(decoding: bytes)
    check((try? JSONParser.parse(description)) != nil, "description is not JSON: \(description)")
    return 0
}

private func checkDecoded(_ tx: SignedTransaction, input: [UInt8]) {
    let t = tx.transaction
    check(tx.raw == input, "raw differs from the input")
    check(tx.hash == Keccak256.hash(input), "hash is not keccak256(raw)")
    check(!tx.r.isZero && !tx.s.isZero && tx.s <= halfCurveOrder, "r or s out of range")
    check(tx.yParity <= 1, "y parity \(tx.yParity)")
    check(t.nonce < .max, "nonce 2^64 - 1 accepted")
    check(t.maxPriorityFeePerGas <= t.maxFeePerGas, "tip above fee cap")
    check(t.maxGasCost != nil, "gas cost overflows")
    check(t.type.isTyped || t.accessList.isEmpty, "legacy transaction with an access list")
    let rebuilt = SignedTransaction(transaction: t, r: tx.r, s: tx.s, yParity: tx.yParity)
    check(rebuilt.raw == input, "re-encoding differs from the input")
    check(rebuilt.signingHash == tx.signingHash, "streamed signing hash differs from the encoder's")
    check(rebuilt.signingHash == Keccak256.hash(t.signingPayload), "signing hash is not keccak256(payload)")
    _ = t.intrinsicGas
    let sender = Result { () throws(TransactionDecodingError) in try tx.recoverSender() }
    let senderAgain = Result { () throws(TransactionDecodingError) in try rebuilt.recoverSender() }
    switch (sender, senderAgain) {
    case (.success(let a), .success(let b)): check(a == b, "recovery is not deterministic")
    case (.failure(let a), .failure(let b)): check(a == b, "recovery errors differ")
    default: check(false, "recovery succeeds for one of two equal transactions")
    }
}

/// Fails the run with `message` when `condition` is false, in every build
/// configuration (unlike `precondition`, which `-Ounchecked` removes).
private func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
