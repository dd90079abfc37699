import Foundation
import Hashing
import TestSupport
import Testing

@Suite struct SHA256Tests {
    /// FIPS 180-2 appendix B and the NIST example messages.
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func fipsVectors(message: String, digest: String) {
        #expect(hex(SHA256.hash(Array(message.utf8))) == digest)
    }

    @Test func oneMillionA() {
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        var h = SHA256()
        for _ in 0..<1000 { h.update(bytes: chunk) }
        #expect(hex(h.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(hex(SHA256.hash([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Streaming must not depend on how the message is cut: whole, byte by
    /// byte, and split at every offset (lengths around the 55/56/64-byte
    /// padding boundaries included).
    @Test func streamingSplitsAgree() {
        for length in [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 200] {
            let message = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            let whole = SHA256.hash(message)
            var drip = SHA256()
            for b in message { drip.update(bytes: [b]) }
            #expect(drip.finalize() == whole, "length \(length), one-byte drips")
            for cut in 0...length {
                var h = SHA256()
                h.update(bytes: message[..<cut])
                h.update(bytes: message[cut...])
                #expect(h.finalize() == whole, "length \(length), cut at \(cut)")
            }
        }
    }

    @Test func finalizeLeavesStateUsable() {
        var h = SHA256()
        h.update(bytes: Array("ab".utf8))
        _ = h.finalize()
        h.update(bytes: Array("c".utf8))
        #expect(hex(h.finalize()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    /// Random messages against Python's hashlib, from a printed seed.
    @Test func randomAgainstPython() throws {
        guard let python = Executables.which("python3") else {
            print("SHA256Tests: python3 not found: skipping the hashlib cross-check")
            return
        }
        let seed = testSeed()
        var rng = SeededGenerator(seed: seed)
        let messages = (0..<200).map { _ in
            (0..<Int.random(in: 0...300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        }
        let script = "import sys,hashlib\nfor l in sys.stdin.read().split():\n print(hashlib.sha256(bytes.fromhex(l[1:])).hexdigest())"
        let result = try Executables.run(python, ["-c", script], stdin: messages.map { "x" + hex($0) }.joined(separator: "\n"))
        let expected = result.stdout.split(separator: "\n").map(String.init)
        try #require(expected.count == messages.count, "python: \(result.stderr)")
        for (m, e) in zip(messages, expected) {
            #expect(hex(SHA256.hash(m)) == e, "seed \(seed), message \(hex(m))")
        }
    }
}
