import Ethereum
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Primitives
import Secp256k1
import TestSupport
import XCTest

/// The seed for a randomized test: `SEED` from the environment to replay a
/// failure, otherwise fresh. Tests print it with every failure.
func testSeed() -> UInt64 {
    if let s = ProcessInfo.processInfo.environment["SEED"], let v = UInt64(s) { return v }
    return UInt64.random(in: 0...UInt64.max)
}

func hex(_ bytes: some Sequence<UInt8>) -> String { Hex.encode(Array(bytes), prefix: false) }

func bytes(hex text: String) -> [UInt8] {
    guard let b = Hex.decode(text) else { fatalError("bad hex in test: \(text)") }
    return b
}

func uint256(_ text: String) -> UInt256 {
    guard let v = text.hasPrefix("0x") ? UInt256(hexQuantity: text) : UInt256(decimal: text) else {
        fatalError("bad number in test: \(text)")
    }
    return v
}

/// Random transactions of every type and shape, for round trips and the
/// eth-account cross-check: fee fields from zero to 24 bytes (so gas × fee
/// never overflows), values to 2^256 − 1, nonces to 2^64 − 2, data with
/// runs of zeros, access lists, creations and pre-EIP-155 legacy.
struct RandomTransactions {
    var rng: SplitMix64

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    /// Usually small, sometimes up to `maxBytes` long.
    mutating func uint256(maxBytes: Int = 32) -> UInt256 {
        switch Int.random(in: 0..<6, using: &rng) {
        case 0: return .zero
        case 1: return UInt256(UInt64.random(in: 1...1000, using: &rng))
        case 2: return UInt256(bigEndianBytes: [UInt8](repeating: 0xff, count: maxBytes))!
        default: return UInt256(bigEndianBytes: bytes(Int.random(in: 1...maxBytes, using: &rng)))!
        }
    }

    mutating func uint64(max: UInt64 = .max) -> UInt64 {
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: return 0
        case 1: return UInt64.random(in: 1...200, using: &rng)
        case 2: return max
        default: return UInt64.random(in: 0...max, using: &rng) >> UInt64.random(in: 0...63, using: &rng)
        }
    }

    mutating func address() -> Address { Address(bytes(20))! }

    mutating func data() -> [UInt8] {
        var d = bytes(Int.random(in: 0...3, using: &rng) == 0 ? 0 : Int.random(in: 1...300, using: &rng))
        for i in d.indices where Int.random(in: 0..<3, using: &rng) == 0 { d[i] = 0 }
        return d
    }

    mutating func accessList() -> [AccessListEntry] {
        (0..<Int.random(in: 0...3, using: &rng)).map { _ in
            AccessListEntry(address: address(),
                            storageKeys: (0..<Int.random(in: 0...3, using: &rng)).map { _ in Hash32(bytes(32))! })
        }
    }

    mutating func key() -> Secp256k1.PrivateKey {
        while true {
            if let k = try? Secp256k1.PrivateKey(bytes: bytes(32)) { return k }
        }
    }

    mutating func transaction() -> Transaction {
        let type = TransactionType(rawValue: UInt8.random(in: 0...2, using: &rng))!
        let chainID: UInt64? = type == .legacy && Int.random(in: 0..<5, using: &rng) == 0 ? nil : uint64(max: 1 << 62)
        let maxFee = uint256(maxBytes: 24)
        let priority = type == .dynamicFee ? min(uint256(maxBytes: 24), maxFee) : maxFee
        let to: Address? = Int.random(in: 0..<8, using: &rng) == 0 ? nil : address()
        return Transaction(type: type, chainID: chainID, nonce: uint64(max: .max - 1),
                           maxPriorityFeePerGas: priority, maxFeePerGas: maxFee, gasLimit: uint64(),
                           to: to, value: uint256(), data: data(),
                           accessList: type == .legacy ? [] : accessList())
    }
}

/// Runs a Python 3 script once with `input` on stdin and returns its stdout
/// lines; throws `XCTSkip` (with the reason) when python3 or `module` (which
/// the script imports) is missing. One process per batch: importing
/// eth-account alone takes about a second.
func runPython(_ script: String, input: [String], requiring module: String) throws -> [String] {
    guard let python = Executables.which("python3") else {
        throw XCTSkip("python3 not found: skipping the \(module) cross-check")
    }
    // The bootstrap swallows all of stdin before the script runs: the writer
    // never blocks on a pipe while the script's output fills the other, and
    // a script that fails fails after reading, not with SIGPIPE in the runner.
    signal(SIGPIPE, SIG_IGN)
    let bootstrap = "import io, sys; sys.stdin = io.StringIO(sys.stdin.read()); exec(compile(sys.argv[1], 'cross-check', 'exec'))"
    let result = try Executables.run(python, ["-c", bootstrap, script], stdin: input.joined(separator: "\n") + "\n")
    if result.status != 0 && result.stderr.contains("No module named '\(module)'") {
        throw XCTSkip("python module '\(module)' not importable: skipping the cross-check")
    }
    guard result.status == 0 else {
        XCTFail("python failed: \(result.stderr)")
        return []
    }
    return result.stdout.split(separator: "\n").map(String.init)
}

/// One JSON object per line, as the Python scripts print them.
func jsonObject(_ line: String) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? [:]
}
