import Ethereum
import Primitives
import Secp256k1

/// Transaction hot paths for a typical EIP-1559 value transfer (no data, no
/// access list): strict decoding (what every submission costs on an I/O
/// thread before anything else), decoding plus sender recovery as
/// single-thread transactions per second, the whole `admit` path, and
/// encoding plus signing. Median and p99 per operation.
func runTransactionBench() {
    Secp256k1.precomputeTables()
    let key = DevAccounts.keys[0]
    let transfer = Transaction(type: .dynamicFee, chainID: 31337, nonce: 42, maxPriorityFeePerGas: 1_000_000_000,
                               maxFeePerGas: 2_000_000_000, gasLimit: 21_000,
                               to: Address(hex: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"),
                               value: 1_000_000_000_000_000)
    let raw = transfer.signed(with: key).raw
    let rules = TransactionValidation(chainID: 31337)
    print("  typical EIP-1559 transfer: \(raw.count) bytes")

    func report(_ name: String, _ samples: [Double], per inner: Int) {
        let pad = String(repeating: " ", count: max(0, 16 - name.count))
        let median = quantile(samples, 0.5) / Double(inner) / 1000
        let p99 = quantile(samples, 0.99) / Double(inner) / 1000
        print("  \(name)\(pad) median \(format(median, 3)) us/op   p99 \(format(p99, 3)) us/op   (\(format(1e6 / median, 0)) ops/s)")
    }

    let inner = 100
    report("decode", measure(warmup: 20, runs: 500) {
        for _ in 0..<inner { blackHole(try! SignedTransaction.decode(raw)) }
    }, per: inner)
    report("decode (buffer)", measure(warmup: 20, runs: 500) {
        raw.withUnsafeBytes { buffer in
            for _ in 0..<inner { blackHole(try! SignedTransaction.decode(buffer: buffer)) }
        }
    }, per: inner)
    report("decode+recover", measure(warmup: 5, runs: 200) {
        for _ in 0..<10 { blackHole(try! SignedTransaction.decode(raw).recoverSender()) }
    }, per: 10)
    report("admit", measure(warmup: 5, runs: 200) {
        for _ in 0..<10 { blackHole(try! rules.admit(raw)) }
    }, per: 10)
    var nonce: UInt64 = 0
    report("encode+sign", measure(warmup: 5, runs: 200) {
        for _ in 0..<10 {
            var tx = transfer
            tx.nonce = nonce
            nonce &+= 1
            blackHole(tx.signed(with: key))
        }
    }, per: 10)
}
