import Foundation
@testable import Hashing
import TestSupport
import Testing

@Suite struct SHA512Tests {
    /// FIPS 180-2 appendix C and the NIST example messages (one, two and
    /// the 896-bit two-block message).
    @Test(arguments: [
        ("", "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"),
        ("abc", "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c33596fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"),
    ])
    func fipsVectors(message: String, digest: String) {
        #expect(hex(SHA512.hash(Array(message.utf8))) == digest)
    }

    @Test func oneMillionA() {
        let expected = "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b"
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        var h = SHA512()
        for _ in 0..<1000 { h.update(bytes: chunk) }
        #expect(hex(h.finalize()) == expected)
        #expect(hex(SHA512.hash([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))) == expected)
    }

    /// Streaming must not depend on how the message is cut: whole, byte by
    /// byte, and split at every offset (lengths around the 111/112/128-byte
    /// padding boundaries included).
    @Test func streamingSplitsAgree() {
        for length in [0, 1, 111, 112, 113, 127, 128, 129, 239, 240, 256, 300] {
            let message = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            let whole = SHA512.hash(message)
            var drip = SHA512()
            for b in message { drip.update(bytes: [b]) }
            #expect(drip.finalize() == whole, "length \(length), one-byte drips")
            for cut in 0...length {
                var h = SHA512()
                h.update(bytes: message[..<cut])
                h.update(bytes: message[cut...])
                #expect(h.finalize() == whole, "length \(length), cut at \(cut)")
            }
        }
    }

    @Test func finalizeLeavesStateUsable() {
        var h = SHA512()
        h.update(bytes: Array("ab".utf8))
        _ = h.finalize()
        h.update(bytes: Array("c".utf8))
        #expect(hex(h.finalize()) == hex(SHA512.hash(Array("abc".utf8))))
        #expect(hex(h.finalize()).hasPrefix("ddaf35a193617aba"))
    }

    /// The PBKDF2 shortcut (one compression of a 64-byte message after a
    /// full block) equals hashing the 192 bytes the long way.
    @Test func digestAfterOneBlockMatchesStreaming() {
        var rng = SeededGenerator(seed: 0x5eed)
        for _ in 0..<20 {
            let first = (0..<128).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let second = (0..<64).map { _ in UInt8.random(in: 0...255, using: &rng) }
            var prefix = SHA512()
            prefix.update(bytes: first)
            var words = SHA512()
            words.update(bytes: second)
            let m = SHA512.State(h0: word(second, 0), h1: word(second, 1), h2: word(second, 2), h3: word(second, 3),
                                 h4: word(second, 4), h5: word(second, 5), h6: word(second, 6), h7: word(second, 7))
            #expect(prefix.state.digestAfterOneBlock(of: m).bytes == SHA512.hash(first + second))
        }
    }

    private func word(_ b: [UInt8], _ i: Int) -> UInt64 {
        b[(8 * i)..<(8 * i + 8)].reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Random messages against Python's hashlib, from a printed seed.
    @Test func randomAgainstPython() throws {
        guard let python = Executables.which("python3") else {
            print("SHA512Tests: python3 not found: skipping the hashlib cross-check")
            return
        }
        let seed = testSeed()
        var rng = SeededGenerator(seed: seed)
        let messages = (0..<200).map { _ in
            (0..<Int.random(in: 0...600, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        }
        let script = "import sys,hashlib\nfor l in sys.stdin.read().split():\n print(hashlib.sha512(bytes.fromhex(l[1:])).hexdigest())"
        let result = try Executables.run(python, ["-c", script], stdin: messages.map { "x" + hex($0) }.joined(separator: "\n"))
        let expected = result.stdout.split(separator: "\n").map(String.init)
        try #require(expected.count == messages.count, "python: \(result.stderr)")
        for (m, e) in zip(messages, expected) {
            #expect(hex(SHA512.hash(m)) == e, "seed \(seed), message \(hex(m))")
        }
        print("SHA512Tests: \(messages.count) random messages matched hashlib.sha512 (seed \(seed))")
    }
}
