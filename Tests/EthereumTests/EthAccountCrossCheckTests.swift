import Ethereum
import Foundation
import Primitives
import Secp256k1
import XCTest

/// Cross-checks against Python's eth-account, one process per direction for
/// a whole batch (skipped, with the reason, when it is not importable):
/// transactions we sign are read back by eth-account, transactions it signs
/// are read by us, and personal-message hashes and signatures agree.
final class EthAccountCrossCheckTests: XCTestCase {
    static let count = 300

    /// Python helpers: a transaction's fields as hex strings keyed like
    /// `fieldStrings`, so the two sides compare one dictionary.
    static let prelude = """
    import sys, json, rlp
    from eth_account import Account
    from eth_account.typed_transactions import TypedTransaction
    from eth_account._utils.legacy_transactions import Transaction as LegacyTransaction
    from eth_account._utils.signing import hash_of_signed_transaction
    from eth_utils import keccak
    from hexbytes import HexBytes
    def h(b): return '0x' + bytes(b).hex()
    def fields(d, typed):
        out = {}
        for k, v in d.items():
            if k in ('data', 'to'): out[k] = h(v)
            elif k == 'accessList':
                out[k] = ';'.join(h(e['address']).lower() + ':' + ','.join('0x%064x' % x if isinstance(x, int) else h(x) for x in e['storageKeys']) for e in v)
            elif k == 'v' and typed: out['yParity'] = hex(v)
            else: out[k] = hex(v)
        return out
    """

    /// Our transactions, as eth-account decodes them: same sender (its own
    /// recovery), same hash, same signing hash, same fields.
    func testEthAccountReadsOurTransactions() throws {
        let seed = testSeed()
        var random = RandomTransactions(seed: seed)
        var cases: [(SignedTransaction, Address)] = []
        for _ in 0..<Self.count {
            let key = random.key()
            cases.append((random.transaction().signed(with: key), Address(publicKey: key.publicKey)))
        }
        let script = Self.prelude + "\n" + """
        for line in sys.stdin:
            line = line.strip()
            if not line: continue
            raw = bytes.fromhex(line)
            if raw[0] < 0x80:
                t = TypedTransaction.from_bytes(HexBytes(raw))
                d, signing = t.as_dict(), t.hash()
                d['type'] = raw[0]
            else:
                t = rlp.decode(raw, LegacyTransaction)
                d, signing = t.as_dict(), hash_of_signed_transaction(t)
                d['type'] = 0
            print(json.dumps({'sender': Account.recover_transaction(raw).lower(), 'hash': h(keccak(raw)),
                              'signingHash': h(signing), 'fields': fields(d, raw[0] < 0x80)}))
        """
        let lines = try runPython(script, input: cases.map { hex($0.0.raw) }, requiring: "eth_account")
        XCTAssertEqual(lines.count, cases.count, "seed \(seed)")
        var matched = 0
        for ((tx, sender), line) in zip(cases, lines) {
            let theirs = jsonObject(line)
            let context = "seed \(seed), raw \(hex(tx.raw))"
            XCTAssertEqual(theirs["sender"] as? String, sender.hex, context)
            XCTAssertEqual(theirs["hash"] as? String, tx.hash.description, context)
            XCTAssertEqual(theirs["signingHash"] as? String, tx.signingHash.description, context)
            XCTAssertEqual(theirs["fields"] as? [String: String], Self.fieldStrings(tx), context)
            if theirs["sender"] as? String == sender.hex && theirs["hash"] as? String == tx.hash.description
                && theirs["fields"] as? [String: String] == Self.fieldStrings(tx) {
                matched += 1
            }
        }
        print("EthAccountCrossCheckTests: eth-account read \(matched)/\(cases.count) of our transactions identically (seed \(seed))")
    }

    /// eth-account's transactions, as we decode them: same hash, fields and
    /// sender; our re-encoding is byte-identical, and our own signature of
    /// the same fields is too (both sign with RFC 6979).
    func testWeReadEthAccountTransactions() throws {
        let seed = testSeed()
        var random = RandomTransactions(seed: seed)
        var cases: [(Transaction, Secp256k1.PrivateKey)] = []
        for _ in 0..<Self.count { cases.append((random.transaction(), random.key())) }
        let script = Self.prelude + "\n" + """
        for line in sys.stdin:
            line = line.strip()
            if not line: continue
            case = json.loads(line)
            signed = Account.sign_transaction(case['tx'], case['key'])
            print(json.dumps({'raw': h(signed.raw_transaction), 'hash': h(signed.hash),
                              'sender': Account.from_key(case['key']).address.lower()}))
        """
        let input = cases.map { "{\"key\":\"0x\(hex($0.1.bytes))\",\"tx\":\(Self.ethAccountDict($0.0))}" }
        let lines = try runPython(script, input: input, requiring: "eth_account")
        XCTAssertEqual(lines.count, cases.count, "seed \(seed)")
        var matched = 0
        for ((tx, key), line) in zip(cases, lines) {
            let theirs = jsonObject(line)
            let raw = bytes(hex: theirs["raw"] as? String ?? "")
            let context = "seed \(seed), \(tx), raw \(hex(raw))"
            guard let decoded = try? SignedTransaction.decode(raw) else {
                XCTFail("could not decode eth-account's transaction, \(context)")
                continue
            }
            let sender = try? decoded.recoverSender()
            let reencoded = SignedTransaction(transaction: decoded.transaction, r: decoded.r, s: decoded.s,
                                              yParity: decoded.yParity).raw
            let ours = tx.signed(with: key).raw
            XCTAssertEqual(decoded.hash.description, theirs["hash"] as? String, context)
            XCTAssertEqual(decoded.transaction, tx, context)
            XCTAssertEqual(sender?.hex, theirs["sender"] as? String, context)
            XCTAssertEqual(reencoded, raw, context)
            XCTAssertEqual(ours, raw, context)
            if decoded.transaction == tx && reencoded == raw && ours == raw && sender?.hex == theirs["sender"] as? String {
                matched += 1
            }
        }
        print("EthAccountCrossCheckTests: decoded \(matched)/\(cases.count) eth-account transactions identically (seed \(seed))")
    }

    /// EIP-191 personal messages: our hash equals `_hash_eip191_message(encode_defunct(…))`,
    /// our signature equals `Account.sign_message`'s, and each side recovers the other's signer.
    func testPersonalMessages() throws {
        let seed = testSeed()
        var random = RandomTransactions(seed: seed)
        var cases: [([UInt8], Secp256k1.PrivateKey)] = [([], DevAccounts.keys[0]), (Array("hello".utf8), DevAccounts.keys[1])]
        for _ in 0..<50 { cases.append((random.bytes(Int.random(in: 0...200, using: &random.rng)), random.key())) }
        let script = """
        import sys, json
        from eth_account import Account
        from eth_account.messages import encode_defunct, _hash_eip191_message
        for line in sys.stdin:
            line = line.strip()
            if not line: continue
            message, key = (bytes.fromhex(x) for x in line.split(':'))
            signable = encode_defunct(primitive=message)
            print(json.dumps({'hash': '0x' + _hash_eip191_message(signable).hex(),
                              'signature': Account.sign_message(signable, key).signature.hex().removeprefix('0x'),
                              'signer': Account.from_key(key).address.lower()}))
        """
        let lines = try runPython(script, input: cases.map { hex($0.0) + ":" + hex($0.1.bytes) }, requiring: "eth_account")
        XCTAssertEqual(lines.count, cases.count, "seed \(seed)")
        var matched = 0
        for ((message, key), line) in zip(cases, lines) {
            let theirs = jsonObject(line)
            let context = "seed \(seed), message \(hex(message))"
            let signature = bytes(hex: theirs["signature"] as? String ?? "")
            XCTAssertEqual(PersonalMessage.hash(message).description, theirs["hash"] as? String, context)
            XCTAssertEqual(hex(PersonalMessage.sign(message, with: key)), theirs["signature"] as? String, context)
            XCTAssertEqual(PersonalMessage.recoverSigner(of: message, signature: signature)?.hex, theirs["signer"] as? String, context)
            if PersonalMessage.hash(message).description == theirs["hash"] as? String
                && hex(PersonalMessage.sign(message, with: key)) == theirs["signature"] as? String {
                matched += 1
            }
        }
        print("EthAccountCrossCheckTests: \(matched)/\(cases.count) personal-message hashes and signatures matched (seed \(seed))")
    }

    /// The transaction's fields as hex strings, keyed as eth-account's `as_dict`.
    static func fieldStrings(_ signed: SignedTransaction) -> [String: String] {
        let tx = signed.transaction
        var f: [String: String] = [
            "type": UInt256(UInt64(tx.type.rawValue)).hexQuantity, "nonce": UInt256(tx.nonce).hexQuantity,
            "gas": UInt256(tx.gasLimit).hexQuantity, "to": tx.to?.hex ?? "0x", "value": tx.value.hexQuantity,
            "data": Hex.encode(tx.data), "r": signed.r.hexQuantity, "s": signed.s.hexQuantity,
        ]
        switch tx.type {
        case .legacy:
            f["gasPrice"] = tx.gasPrice.hexQuantity
            f["v"] = signed.v.hexQuantity
        case .accessList, .dynamicFee:
            f["chainId"] = UInt256(tx.chainID ?? 0).hexQuantity
            f["yParity"] = UInt256(UInt64(signed.yParity)).hexQuantity
            f["accessList"] = tx.accessList.map { e in
                e.address.hex + ":" + e.storageKeys.map(\.description).joined(separator: ",")
            }.joined(separator: ";")
            if tx.type == .dynamicFee {
                f["maxFeePerGas"] = tx.maxFeePerGas.hexQuantity
                f["maxPriorityFeePerGas"] = tx.maxPriorityFeePerGas.hexQuantity
            } else {
                f["gasPrice"] = tx.gasPrice.hexQuantity
            }
        }
        return f
    }

    /// The transaction as the dictionary `Account.sign_transaction` takes
    /// (JSON; integers as decimal numbers, addresses checksummed).
    static func ethAccountDict(_ tx: Transaction) -> String {
        var f: [String] = ["\"nonce\":\(tx.nonce)", "\"gas\":\(tx.gasLimit)", "\"value\":\(tx.value)",
                           "\"data\":\"\(Hex.encode(tx.data))\""]
        if let to = tx.to { f.append("\"to\":\"\(to.checksummed)\"") }
        if let chainID = tx.chainID { f.append("\"chainId\":\(chainID)") }
        if tx.type != .legacy {
            f.append("\"type\":\(tx.type.rawValue)")
            let entries = tx.accessList.map { e in
                "{\"address\":\"\(e.address.checksummed)\",\"storageKeys\":["
                    + e.storageKeys.map { "\"\($0)\"" }.joined(separator: ",") + "]}"
            }
            f.append("\"accessList\":[" + entries.joined(separator: ",") + "]")
        }
        if tx.type == .dynamicFee {
            f.append("\"maxFeePerGas\":\(tx.maxFeePerGas)")
            f.append("\"maxPriorityFeePerGas\":\(tx.maxPriorityFeePerGas)")
        } else {
            f.append("\"gasPrice\":\(tx.gasPrice)")
        }
        return "{" + f.joined(separator: ",") + "}"
    }
}
