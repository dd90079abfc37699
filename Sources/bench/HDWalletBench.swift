import Ethereum
import Hashing
import Primitives

/// What deriving dev accounts costs: SHA-512 throughput (1 MiB), one BIP-39
/// seed (PBKDF2-HMAC-SHA512, 2048 rounds), BIP-32 derivation per account,
/// and an EIP-712 signing hash, median and p99. `scripts/bench-hd` compares
/// the first two with Python's hashlib (OpenSSL) in the same run.
func runHDWalletBench() {
    var rng = Xoshiro256StarStar(seed: 0x6864)
    let large = (0..<(1 << 20)).map { _ in UInt8.random(in: 0...255, using: &rng) }
    let shaRuns = measure(runs: 40) {
        var h = SHA512()
        large.withUnsafeBytes { h.update(buffer: $0) }
        blackHole(h.finalize())
    }
    let mbps = { (ns: Double) in Double(large.count) / ns * 1e3 }
    print("  sha512 1 MiB: median \(format(quantile(shaRuns, 0.5) / 1e6, 3)) ms = \(format(mbps(quantile(shaRuns, 0.5)), 1)) MB/s, p99 \(format(mbps(quantile(shaRuns, 0.99)), 1)) MB/s")

    let mnemonic = try! Mnemonic(DevAccounts.defaultMnemonic)
    let seedRuns = measure(runs: 60) { blackHole(mnemonic.seed()) }
    print("  bip39 seed (pbkdf2-hmac-sha512, 2048 rounds): median \(format(quantile(seedRuns, 0.5) / 1e6, 3)) ms, p99 \(format(quantile(seedRuns, 0.99) / 1e6, 3)) ms")

    let master = try! ExtendedPrivateKey(seed: mnemonic.seed())
    let parent = try! master.derive(.ethereumAccountParent)
    let batch = 100
    let childRuns = measure(runs: 30) { blackHole(try! parent.children(0..<UInt32(batch))) }
    print("  bip32 account key from m/44'/60'/0'/0 (batch of \(batch), one parent public key): median \(format(quantile(childRuns, 0.5) / Double(batch) / 1e3, 1)) µs/account, p99 \(format(quantile(childRuns, 0.99) / Double(batch) / 1e3, 1)) µs/account")

    let seed = mnemonic.seed()
    var index: UInt32 = 0
    let pathRuns = measure(runs: 200) {
        index &+= 1
        blackHole(try! ExtendedPrivateKey(seed: seed).derive(.ethereum(index: index % 1000)))
    }
    print("  bip32 m/44'/60'/0'/0/i from the seed (master + 5 steps): median \(format(quantile(pathRuns, 0.5) / 1e3, 1)) µs/account, p99 \(format(quantile(pathRuns, 0.99) / 1e3, 1)) µs/account")

    let devRuns = measure(runs: 20) { blackHole(try! DevAccounts.keys(of: mnemonic, count: 10)) }
    print("  DevAccounts.keys(count: 10) (seed + 10 keys): median \(format(quantile(devRuns, 0.5) / 1e6, 3)) ms")

    let mail = """
    {"types": {"EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
      {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}],
      "Person": [{"name": "name", "type": "string"}, {"name": "wallet", "type": "address"}],
      "Mail": [{"name": "from", "type": "Person"}, {"name": "to", "type": "Person"}, {"name": "contents", "type": "string"}]},
     "primaryType": "Mail",
     "domain": {"name": "Ether Mail", "version": "1", "chainId": 1, "verifyingContract": "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},
     "message": {"from": {"name": "Cow", "wallet": "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},
                 "to": {"name": "Bob", "wallet": "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"}, "contents": "Hello, Bob!"}}
    """
    let inner = 100
    let typedRuns = measure(runs: 50) {
        for _ in 0..<inner { blackHole(try! TypedData(jsonText: mail).signingHash()) }
    }
    print("  eip712 Mail example, parse + signing hash: median \(format(quantile(typedRuns, 0.5) / Double(inner) / 1e3, 1)) µs")
}
