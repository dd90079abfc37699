import Foundation
import Hashing
import Primitives
import TestSupport
import Testing

/// Keccak-256 known answers (Ethereum's padding), block-boundary lengths,
/// streaming at every split, and a cross-check against pycryptodome.
@Suite struct Keccak256Tests {
    @Test(arguments: [
        ("", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"),
        ("abc", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"),
    ])
    func knownAnswers(message: String, digest: String) {
        #expect(Keccak256.hash(Array(message.utf8)).description == "0x" + digest)
        var h = Keccak256()
        h.update(bytes: Array(message.utf8))
        #expect(h.finalize().description == "0x" + digest)
    }

    /// Digests from pycryptodome's `keccak.new(digest_bits=256)`.
    @Test func oneMebibyte() {
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        #expect(Keccak256.hash(zeros).description == "0x7b6ff0a03e9c5a8e77a2059bf28e26a7f0e8d3939a7cfe2193908ad8d683be90")
        let pattern = (0..<(1 << 20)).map { UInt8($0 % 251) }
        #expect(Keccak256.hash(pattern).description == "0x2fd6b833d9e25ae8d7dda1c3ed07af04df131ce89010c888534d4e825e40e875")
        var h = Keccak256()
        for _ in 0..<1000 { h.update(bytes: [UInt8](repeating: UInt8(ascii: "a"), count: 1000)) }
        #expect(h.finalize().description == "0xfadae6b49f129bbb812be8407b7b2894f34aecf6dbd1f9b0f0c7e9853098fc96")
    }

    /// Every length 0...300 (so 135/136/137 and 271/272 around the 136-byte
    /// rate), folded into one digest of the concatenated digests, which was
    /// computed with pycryptodome.
    @Test func lengthsAroundTheRate() {
        var all: [UInt8] = []
        for n in 0...300 {
            let message = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
            all += Keccak256.hash(message).bytes
        }
        #expect(Keccak256.hash(all).description == "0x2c42f3ea255cc9e489b3111815c1014717c9fe06d269a2b51cbc4d99c5390a8b")
    }

    /// Streaming must not depend on how the input is cut.
    @Test(arguments: [0, 1, 135, 136, 137, 271, 272, 273, 500])
    func streamingSplitAtEveryOffset(length: Int) {
        var rng = Xoshiro256StarStar(seed: UInt64(length) &+ 0x5eed)
        let message = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let expected = Keccak256.hash(message)
        for split in 0...length {
            var h = Keccak256()
            h.update(bytes: message[..<split])
            h.update(bytes: message[split...])
            #expect(h.finalize() == expected, "split at \(split) of \(length)")
        }
        var drip = Keccak256()
        for byte in message { drip.update(bytes: CollectionOfOne(byte)) }
        #expect(drip.finalize() == expected)
    }

    @Test func finalizeLeavesTheHashUsable() {
        var h = Keccak256()
        h.update(bytes: Array("ab".utf8))
        _ = h.finalize()
        h.update(bytes: Array("c".utf8))
        #expect(h.finalize() == Keccak256.hash(Array("abc".utf8)))
    }

    @Test func nonContiguousInput() {
        let message = Array(0..<UInt8(200))
        #expect(Keccak256.hash(message.lazy.map { $0 }) == Keccak256.hash(message))
    }

    /// Random inputs checked against pycryptodome in one python3 call.
    @Test func crossCheckWithPycryptodome() throws {
        guard let python = Executables.which("python3") else {
            print("Keccak256 cross-check: SKIPPED (python3 not found)")
            return
        }
        let probe = try Executables.run(python, ["-c", "from Crypto.Hash import keccak"])
        guard probe.status == 0 else {
            print("Keccak256 cross-check: SKIPPED (pycryptodome not importable: pip install pycryptodome)")
            return
        }
        let seed = UInt64.random(in: 0...UInt64.max)
        var rng = Xoshiro256StarStar(seed: seed)
        var messages: [[UInt8]] = []
        for _ in 0..<300 {
            let length = Bool.random(using: &rng) ? Int.random(in: 0...600, using: &rng) : Int.random(in: 0...5000, using: &rng)
            messages.append((0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) })
        }
        let script = """
            import sys
            from Crypto.Hash import keccak
            for line in sys.stdin.read().splitlines():
                print(keccak.new(digest_bits=256, data=bytes.fromhex(line.strip())).hexdigest())
            """
        let input = messages.map { Hex.encode($0, prefix: false) }.joined(separator: "\n") + "\n"
        let result = try Executables.run(python, ["-c", script], stdin: input)
        #expect(result.status == 0, "python3 failed: \(result.stderr)")
        let expected = result.stdout.split(separator: "\n").map(String.init)
        #expect(expected.count == messages.count)
        var agreed = 0
        for (message, digest) in zip(messages, expected) {
            if Keccak256.hash(message).description == "0x" + digest {
                agreed += 1
            } else {
                Issue.record("mismatch for a \(message.count)-byte input (seed \(seed))")
            }
        }
        print("Keccak256 cross-check: \(agreed)/\(messages.count) random inputs agree with pycryptodome (seed \(seed))")
    }
}
