import Ethereum
import Primitives
import XCTest

/// BIP-39 + BIP-32 against eth-account's `Account.from_mnemonic` for random
/// mnemonics of every length, passphrases (some non-ASCII, so NFKD matters)
/// and paths (the Ethereum path at random indices, and random hardened and
/// normal components).
final class HDWalletCrossCheckTests: XCTestCase {
    func testEthAccountDerivesTheSameKeys() throws {
        let seed = testSeed()
        var rng = SplitMix64(seed: seed)
        let passphrases = ["", "", "TREZOR", "caf\u{E9}", "cafe\u{301} \u{2163}", "pass phrase"]
        var cases: [(Mnemonic, String, DerivationPath)] = []
        for i in 0..<40 {
            let count = Mnemonic.wordCounts[i % Mnemonic.wordCounts.count]
            let entropy = (0..<(count * 4 / 3)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let mnemonic = try Mnemonic(entropy: entropy)
            let passphrase = passphrases[Int.random(in: 0..<passphrases.count, using: &rng)]
            let path: DerivationPath
            switch i % 4 {
            case 0: path = .ethereum(index: UInt32.random(in: 0..<20, using: &rng))
            case 1: path = .ethereum(index: UInt32.random(in: 0..<DerivationPath.hardenedOffset, using: &rng))
            default:
                path = DerivationPath(indices: (0..<Int.random(in: 1...6, using: &rng)).map { _ in
                    UInt32.random(in: 0..<1000, using: &rng) | (Bool.random(using: &rng) ? DerivationPath.hardenedOffset : 0)
                })
            }
            cases.append((mnemonic, passphrase, path))
        }
        let script = """
        import sys, json
        from eth_account import Account
        Account.enable_unaudited_hdwallet_features()
        for line in sys.stdin.read().split('\\n'):
            if not line: continue
            c = json.loads(line)
            a = Account.from_mnemonic(c['m'], passphrase=c['p'], account_path=c['path'])
            print(a.key.hex().removeprefix('0x'), a.address)
        """
        let input = cases.map { m, p, path in
            "{\"m\": \"\(m.phrase)\", \"p\": \"\(p.unicodeScalars.map { String(format: "\\u%04x", $0.value) }.joined())\", \"path\": \"\(path)\"}"
        }
        let lines = try runPython(script, input: input, requiring: "eth_account")
        XCTAssertEqual(lines.count, cases.count)
        for ((mnemonic, passphrase, path), line) in zip(cases, lines) {
            let master = try ExtendedPrivateKey(seed: mnemonic.seed(passphrase: passphrase))
            let key = try master.derive(path)
            XCTAssertEqual("\(hex(key.key.bytes)) \(key.address.checksummed)", line,
                           "seed \(seed): \(mnemonic.phrase) / \(passphrase.debugDescription) / \(path)")
        }
        // DevAccounts' batch derivation agrees with eth-account's per-path derivation.
        let mnemonic = cases[0].0
        let keys = try DevAccounts.keys(of: mnemonic, count: 5)
        let batch = try runPython(script, input: (0..<5).map { "{\"m\": \"\(mnemonic.phrase)\", \"p\": \"\", \"path\": \"m/44'/60'/0'/0/\($0)\"}" },
                                  requiring: "eth_account")
        XCTAssertEqual(keys.map { hex($0.bytes) }, batch.map { String($0.prefix(64)) }, "seed \(seed): \(mnemonic.phrase)")
        print("HDWalletCrossCheckTests: \(cases.count) random mnemonic/passphrase/path keys matched eth-account (seed \(seed))")
    }
}
