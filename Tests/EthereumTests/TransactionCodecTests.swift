import Ethereum
import Primitives
import RLP
import Secp256k1
import XCTest

/// Encoding, signing and strict decoding of all three transaction types.
final class TransactionCodecTests: XCTestCase {
    /// The worked example of EIP-155.
    func testEIP155Example() throws {
        let key = try Secp256k1.PrivateKey(bytes: [UInt8](repeating: 0x46, count: 32))
        let tx = Transaction.legacy(chainID: 1, nonce: 9, gasPrice: 20_000_000_000, gasLimit: 21_000,
                                    to: Address(hex: "0x3535353535353535353535353535353535353535"),
                                    value: uint256("1000000000000000000"))
        XCTAssertEqual(hex(tx.signingPayload),
                       "ec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080")
        XCTAssertEqual(tx.signingHash().description, "0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53")
        let signed = tx.signed(with: key)
        XCTAssertEqual(hex(signed.raw), "f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83")
        XCTAssertEqual(signed.v, 37)
        let decoded = try SignedTransaction.decode(signed.raw)
        XCTAssertEqual(decoded.transaction.chainID, 1)
        XCTAssertEqual(try decoded.recoverSender(), Address(publicKey: key.publicKey))
    }

    /// Random transactions of every type survive sign → encode → decode
    /// unchanged, from an array and from borrowed memory, and recover their signer.
    func testRandomRoundTrips() throws {
        let seed = testSeed()
        var random = RandomTransactions(seed: seed)
        for i in 0..<300 {
            let key = random.key()
            let tx = random.transaction()
            let signed = tx.signed(with: key)
            let context = "seed \(seed), case \(i), \(tx.type), raw \(hex(signed.raw))"
            let decoded: SignedTransaction
            do {
                decoded = try SignedTransaction.decode(signed.raw)
            } catch {
                return XCTFail("decode failed: \(error), \(context)")
            }
            XCTAssertEqual(decoded.transaction, tx, context)
            XCTAssertEqual(decoded.r, signed.r, context)
            XCTAssertEqual(decoded.s, signed.s, context)
            XCTAssertEqual(decoded.yParity, signed.yParity, context)
            XCTAssertEqual(decoded.v, signed.v, context)
            XCTAssertEqual(decoded.hash, signed.hash, context)
            XCTAssertEqual(decoded.signingHash, tx.signingHash(), context)
            XCTAssertEqual(decoded, signed, context)
            let fromBuffer = signed.raw.withUnsafeBytes { try? SignedTransaction.decode(buffer: $0) }
            XCTAssertEqual(fromBuffer?.transaction, tx, context)
            XCTAssertEqual(fromBuffer?.raw, signed.raw, context)
            XCTAssertEqual(try decoded.recoverSender(), Address(publicKey: key.publicKey), context)
            XCTAssertEqual(SignedTransaction(transaction: tx, r: signed.r, s: signed.s, yParity: signed.yParity), signed, context)
            XCTAssertEqual(signed.raw.first.map { $0 >= 0xc0 }, tx.type == .legacy, context)
        }
    }

    /// Decoding accepts only canonical encodings: whatever decodes re-encodes
    /// to the very same bytes, and every truncation fails.
    func testMutatedAndTruncatedInputs() {
        let seed = testSeed()
        var random = RandomTransactions(seed: seed)
        var accepted = 0
        for i in 0..<100 {
            let raw = random.transaction().signed(with: random.key()).raw
            for cut in 0..<raw.count {
                XCTAssertThrowsError(try SignedTransaction.decode(Array(raw[..<cut])), "seed \(seed), case \(i), cut \(cut)")
            }
            for _ in 0..<40 {
                var mutated = raw
                let at = Int.random(in: 0..<raw.count, using: &random.rng)
                mutated[at] = UInt8.random(in: 0...255, using: &random.rng)
                guard let tx = try? SignedTransaction.decode(mutated) else { continue }
                accepted += 1
                let again = SignedTransaction(transaction: tx.transaction, r: tx.r, s: tx.s, yParity: tx.yParity)
                XCTAssertEqual(again.raw, mutated, "seed \(seed), case \(i), byte \(at): accepted a non-canonical encoding")
            }
        }
        XCTAssertGreaterThan(accepted, 0, "seed \(seed)")
    }

    func testLegacyVAndChainID() throws {
        let tx = Transaction.legacy(chainID: nil, nonce: 0, gasPrice: 1, gasLimit: 21_000, to: .zero)
        let unprotected = tx.signed(with: DevAccounts.keys[0])
        XCTAssert(unprotected.v == 27 || unprotected.v == 28)
        XCTAssertNil(try SignedTransaction.decode(unprotected.raw).transaction.chainID)
        for chainID: UInt64 in [0, 1, 31337, UInt64.max >> 1, UInt64.max] {
            var t = tx
            t.chainID = chainID
            let signed = t.signed(with: DevAccounts.keys[0])
            let (high, low) = UInt256(chainID).multipliedFullWidth(byWord: 2)
            XCTAssertEqual(high, 0)
            XCTAssertEqual(signed.v, low + UInt256(35 + UInt64(signed.yParity)))
            let decoded = try SignedTransaction.decode(signed.raw)
            XCTAssertEqual(decoded.transaction.chainID, chainID)
            XCTAssertEqual(try decoded.recoverSender(), DevAccounts.addresses[0])
        }
    }

    func testFeesAndIntrinsicGas() {
        var tx = Transaction(type: .dynamicFee, chainID: 1, nonce: 0, maxPriorityFeePerGas: 2, maxFeePerGas: 10,
                             gasLimit: 21_000, to: .zero)
        XCTAssertEqual(tx.effectiveGasPrice(baseFee: 5), 7)
        XCTAssertEqual(tx.effectiveGasPrice(baseFee: 9), 10)
        XCTAssertEqual(tx.effectiveGasPrice(baseFee: 10), 10)
        XCTAssertNil(tx.effectiveGasPrice(baseFee: 11))
        XCTAssertEqual(tx.effectiveTip(baseFee: 9), 1)
        tx.maxPriorityFeePerGas = .max
        tx.maxFeePerGas = .max
        XCTAssertEqual(tx.effectiveGasPrice(baseFee: 1), .max)
        XCTAssertEqual(Transaction.legacy(chainID: 1, nonce: 0, gasPrice: 8, gasLimit: 1, to: nil).effectiveGasPrice(baseFee: 3), 8)

        XCTAssertEqual(tx.intrinsicGas, 21_000)
        tx.data = [0, 1, 0, 2]
        XCTAssertEqual(tx.intrinsicGas, 21_000 + 2 * 4 + 2 * 16 as UInt64)
        tx.accessList = [AccessListEntry(address: .zero, storageKeys: [.zero, .zero]), AccessListEntry(address: .zero)]
        let withAccessList: UInt64 = 21_000 + 40 + 2 * 2_400 + 2 * 1_900
        XCTAssertEqual(tx.intrinsicGas, withAccessList)
        tx.accessList = []
        tx.to = nil
        tx.data = [UInt8](repeating: 1, count: 33)
        let creation: UInt64 = 21_000 + 32_000 + 33 * 16 + 2 * 2
        XCTAssertEqual(tx.intrinsicGas, creation)
    }
}
