import Foundation
import Hashing
import TestSupport
import Testing

@Suite struct RIPEMD160Tests {
    /// The test vectors of the RIPEMD-160 paper's authors (Bosselaers' page).
    @Test(arguments: [
        ("", "9c1185a5c5e9fc54612808977ee8f548b2258d31"),
        ("a", "0bdc9d2d256b3ee9daae347be6f4dc835a467ffe"),
        ("abc", "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc"),
        ("message digest", "5d0689ef49d2fae572b881b123a85ffa21595f36"),
        ("abcdefghijklmnopqrstuvwxyz", "f71c27109c692c1b56bbdceb5b9d2865b3708dbc"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "12a053384a9c0c88e405a06c27dcf49ada62eb2b"),
        ("12345678901234567890123456789012345678901234567890123456789012345678901234567890",
         "9b752e45573d4b39f4dbd3323cab82bf63326bfb"),
    ])
    func publishedVectors(message: String, digest: String) {
        #expect(hex(RIPEMD160.hash(Array(message.utf8))) == digest)
        var drip = RIPEMD160()
        for b in message.utf8 { drip.update(bytes: [b]) }
        #expect(hex(drip.finalize()) == digest)
    }

    @Test func oneMillionA() {
        var h = RIPEMD160()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { h.update(bytes: chunk) }
        #expect(hex(h.finalize()) == "52783243c1697bdbe16d37f97f68f08325dc1528")
    }

    /// Random messages against pycryptodome's RIPEMD-160 (or hashlib's), from a printed seed.
    @Test func randomAgainstPython() throws {
        guard let python = Executables.which("python3") else {
            print("RIPEMD160Tests: python3 not found: skipping the cross-check")
            return
        }
        let probe = try Executables.run(python, ["-c", "from Crypto.Hash import RIPEMD160"])
        guard probe.status == 0 else {
            print("RIPEMD160Tests: pycryptodome not importable: skipping the cross-check")
            return
        }
        let seed = testSeed()
        var rng = SeededGenerator(seed: seed)
        let messages = (0..<200).map { _ in
            (0..<Int.random(in: 0...300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        }
        let script = "import sys\nfrom Crypto.Hash import RIPEMD160\nfor l in sys.stdin.read().split():\n print(RIPEMD160.new(bytes.fromhex(l[1:])).hexdigest())"
        let result = try Executables.run(python, ["-c", script], stdin: messages.map { "x" + hex($0) }.joined(separator: "\n"))
        let expected = result.stdout.split(separator: "\n").map(String.init)
        try #require(expected.count == messages.count, "python: \(result.stderr)")
        for (m, e) in zip(messages, expected) {
            #expect(hex(RIPEMD160.hash(m)) == e, "seed \(seed), message \(hex(m))")
        }
        print("RIPEMD160Tests: \(messages.count) random messages matched pycryptodome (seed \(seed))")
    }
}
