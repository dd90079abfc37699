import Primitives
import RLP

/// The fields of a signed EIP-1559 transaction, as the bench encodes and decodes them.
private struct DynamicFeeTransaction {
    var chainId: UInt64
    var nonce: UInt64
    var maxPriorityFeePerGas: UInt256
    var maxFeePerGas: UInt256
    var gasLimit: UInt64
    var to: Address
    var value: UInt256
    var data: [UInt8]
    var yParity: UInt64
    var r: UInt256
    var s: UInt256
}

/// Encoding and decoding a typical signed EIP-1559 transaction (an ERC-20
/// transfer: 68 bytes of call data, empty access list), median and p99.
func runRLPBench() {
    var rng = Xoshiro256StarStar(seed: 1559)
    func word() -> UInt256 { UInt256(w0: rng.next(), w1: rng.next(), w2: rng.next(), w3: rng.next() >> 1) }
    let tx = DynamicFeeTransaction(
        chainId: 1, nonce: 42,
        maxPriorityFeePerGas: UInt256(2_000_000_000), maxFeePerGas: UInt256(100_000_000_000),
        gasLimit: 65_000, to: Address(hex: "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48")!,
        value: .zero, data: (0..<68).map { _ in UInt8.random(in: 0...255, using: &rng) },
        yParity: 1, r: word(), s: word())

    let inner = 1000
    var encoded: [UInt8] = []
    let encodeRuns = measure(runs: 200) {
        for _ in 0..<inner { encoded = encode(tx) }
    }
    blackHole(encoded)
    print("  encode EIP-1559 tx (\(encoded.count) bytes): median \(format(quantile(encodeRuns, 0.5) / Double(inner), 1)) ns, p99 \(format(quantile(encodeRuns, 0.99) / Double(inner), 1)) ns")

    var decoded = tx
    var failures = 0
    let decodeRuns = measure(runs: 200) {
        encoded.withUnsafeBytes { buffer in
            for _ in 0..<inner {
                do { decoded = try decode(buffer) } catch { failures += 1 }
            }
        }
    }
    blackHole(decoded)
    precondition(failures == 0 && decoded.r == tx.r && decoded.data == tx.data && decoded.to == tx.to)
    print("  decode EIP-1559 tx: median \(format(quantile(decodeRuns, 0.5) / Double(inner), 1)) ns, p99 \(format(quantile(decodeRuns, 0.99) / Double(inner), 1)) ns")

    var valid = 0
    let validateRuns = measure(runs: 200) {
        encoded.withUnsafeBytes { buffer in
            for _ in 0..<inner where (try? RLP.validate(buffer: UnsafeRawBufferPointer(rebasing: buffer[1...]))) != nil { valid += 1 }
        }
    }
    blackHole(valid)
    print("  validate structure only: median \(format(quantile(validateRuns, 0.5) / Double(inner), 1)) ns")
}

private func encode(_ tx: DynamicFeeTransaction) -> [UInt8] {
    var e = RLPEncoder(reservingCapacity: 256)
    e.bytes.append(0x02)
    e.appendList { e in
        e.append(tx.chainId)
        e.append(tx.nonce)
        e.append(tx.maxPriorityFeePerGas)
        e.append(tx.maxFeePerGas)
        e.append(tx.gasLimit)
        tx.to.withUnsafeBytes { e.append(buffer: $0) }
        e.append(tx.value)
        e.append(bytes: tx.data)
        e.appendListHeader(payloadLength: 0)
        e.append(tx.yParity)
        e.append(tx.r)
        e.append(tx.s)
    }
    return e.bytes
}

private func decode(_ buffer: UnsafeRawBufferPointer) throws(RLPError) -> DynamicFeeTransaction {
    var top = RLPReader(UnsafeRawBufferPointer(rebasing: buffer[1...]))
    var f = try top.readList()
    try top.finish()
    let chainId = try f.readUInt64()
    let nonce = try f.readUInt64()
    let tip = try f.readUInt256()
    let maxFee = try f.readUInt256()
    let gas = try f.readUInt64()
    let to = Address(uncheckedBytes: try f.readBytes(count: 20))
    let value = try f.readUInt256()
    let data = Array(try f.readBytes())
    var accessList = try f.readList()
    while !accessList.isAtEnd { _ = try accessList.next() }
    let yParity = try f.readUInt64()
    let r = try f.readUInt256()
    let s = try f.readUInt256()
    try f.finish()
    return DynamicFeeTransaction(chainId: chainId, nonce: nonce, maxPriorityFeePerGas: tip, maxFeePerGas: maxFee,
                                 gasLimit: gas, to: to, value: value, data: data, yParity: yParity, r: r, s: s)
}
