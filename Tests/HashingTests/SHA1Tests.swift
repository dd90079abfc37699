import Foundation
import Hashing
import TestSupport
import Testing

@Suite struct SHA1Tests {
    /// FIPS 180 example messages (one block, two blocks, the 896-bit message).
    @Test(arguments: [
        ("", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        ("abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "a49b2446a02c645bf419f995b67091253a04a259"),
    ])
    func fipsVectors(message: String, digest: String) {
        #expect(hex(SHA1.hash(Array(message.utf8))) == digest)
    }

    @Test func oneMillionA() {
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        var h = SHA1()
        for _ in 0..<1000 { h.update(bytes: chunk) }
        #expect(hex(h.finalize()) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
    }

    /// Whole, byte by byte, and split at every offset, around the padding boundaries.
    @Test func streamingSplitsAgree() {
        for length in [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 200] {
            let message = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            let whole = SHA1.hash(message)
            var drip = SHA1()
            for b in message { drip.update(bytes: [b]) }
            #expect(drip.finalize() == whole, "length \(length), one-byte drips")
            for cut in 0...length {
                var h = SHA1()
                h.update(bytes: message[..<cut])
                h.update(bytes: message[cut...])
                #expect(h.finalize() == whole, "length \(length), cut at \(cut)")
            }
        }
    }

    /// Random messages against Python's hashlib, from a printed seed.
    @Test func randomAgainstPython() throws {
        guard let python = Executables.which("python3") else {
            print("SHA1Tests: python3 not found: skipping the hashlib cross-check")
            return
        }
        let seed = testSeed()
        var rng = SeededGenerator(seed: seed)
        let messages = (0..<200).map { _ in
            (0..<Int.random(in: 0...300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        }
        let script = "import sys,hashlib\nfor l in sys.stdin.read().split():\n print(hashlib.sha1(bytes.fromhex(l[1:])).hexdigest())"
        let result = try Executables.run(python, ["-c", script], stdin: messages.map { "x" + hex($0) }.joined(separator: "\n"))
        let expected = result.stdout.split(separator: "\n").map(String.init)
        try #require(expected.count == messages.count, "python: \(result.stderr)")
        for (m, e) in zip(messages, expected) {
            #expect(hex(SHA1.hash(m)) == e, "seed \(seed), message \(hex(m))")
        }
    }
}
