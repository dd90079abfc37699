@testable import Secp256k1
import TestSupport
import Testing

/// Cross-checks against libsecp256k1 itself through Python's `coincurve`
/// (skipped, with a printed line, when it is not importable).
@Suite struct CoincurveCrossCheckTests {
    /// For random (key, digest) pairs: our signature equals libsecp256k1's
    /// recoverable signature byte for byte (RFC 6979 nonce, low s, recovery
    /// id); our public key, recovery and verification agree with it; and
    /// recovery with the other parity id agrees too.
    @Test func signaturesRecoveryAndVerification() throws {
        let seed = testSeed()
        var rng = SeededGenerator(seed: seed)
        var cases: [([UInt8], [UInt8])] = []
        for i in 0..<300 {
            var key = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if i == 0 { key = [UInt8](repeating: 0, count: 31) + [1] }
            if i == 1 { key = bytes(hex: ECDSATests.nMinus1) }
            if i == 2 { key = [UInt8](repeating: 0, count: 16) + [UInt8](repeating: 0xFF, count: 16) }
            guard (try? Secp256k1.PrivateKey(bytes: key)) != nil else { continue }
            var digest = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if i == 3 { digest = [UInt8](repeating: 0xFF, count: 32) }  // ≥ n: reduced before use
            if i == 4 { digest = [UInt8](repeating: 0, count: 32) }
            cases.append((key, digest))
        }
        let script = """
        import sys
        from coincurve import PrivateKey, PublicKey
        for line in sys.stdin.read().split('\\n'):
            if not line: continue
            k, d = (bytes.fromhex(x) for x in line.split())
            key = PrivateKey(k)
            sig = key.sign_recoverable(d, hasher=None)
            flipped = sig[:64] + bytes([sig[64] ^ 1])
            try: other = PublicKey.from_signature_and_message(flipped, d, hasher=None).format(compressed=False)[1:].hex()
            except Exception: other = 'err'
            print(sig.hex(), key.public_key.format(compressed=False)[1:].hex(), other)
        """
        guard let lines = try runPython(script, lines: cases.map { hex($0.0) + " " + hex($0.1) }, requiring: "coincurve") else { return }
        try #require(lines.count == cases.count)
        var checked = 0
        for ((k, d), line) in zip(cases, lines) {
            let e = line.split(separator: " ").map(String.init)
            let context = "seed \(seed), key \(hex(k)), digest \(hex(d))"
            let key = try Secp256k1.PrivateKey(bytes: k)
            let ours = key.sign(digest: d)
            #expect(hex(ours.r + ours.s + [ours.recoveryID]) == e[0], "sign, \(context)")
            #expect(hex(key.publicKey.uncompressed) == e[1], "public key, \(context)")
            let theirs = bytes(hex: e[0])
            let sig = try Secp256k1.RecoverableSignature(r: theirs[0..<32], s: theirs[32..<64], recoveryID: theirs[64])
            #expect(hex(try Secp256k1.recover(digest: d, signature: sig).uncompressed) == e[1], "recover, \(context)")
            #expect(Secp256k1.verify(digest: d, r: theirs[0..<32], s: theirs[32..<64], publicKey: key.publicKey), "verify, \(context)")
            let flipped = try Secp256k1.RecoverableSignature(r: theirs[0..<32], s: theirs[32..<64], recoveryID: theirs[64] ^ 1)
            let other = (try? Secp256k1.recover(digest: d, signature: flipped)).map { hex($0.uncompressed) } ?? "err"
            #expect(other == e[2], "recover with the other id, \(context)")
            checked += 1
        }
        print("CoincurveCrossCheckTests: \(checked) signatures matched libsecp256k1 byte for byte (seed \(seed))")
    }

    /// Recovery ids 2 and 3 on a deliberately built signature agree with
    /// libsecp256k1's recovery.
    @Test func recoveryIDsTwoAndThree() throws {
        let (r, _) = try ECDSATests.smallROverflowingN()
        let s = bytes(hex: "7a0000000000000000000000000000000000000000000000000000000000beef")
        let digest = bytes(hex: "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff")
        let script = """
        import sys
        from coincurve import PublicKey
        for line in sys.stdin.read().split():
            sig = bytes.fromhex(line)
            print(PublicKey.from_signature_and_message(sig[:65], sig[65:], hasher=None).format(compressed=False)[1:].hex())
        """
        let ids: [UInt8] = [2, 3]
        guard let lines = try runPython(script, lines: ids.map { hex(r + s + [$0] + digest) }, requiring: "coincurve") else { return }
        try #require(lines.count == 2)
        for (id, expected) in zip(ids, lines) {
            let sig = try Secp256k1.RecoverableSignature(r: r, s: s, recoveryID: id)
            #expect(hex(try Secp256k1.recover(digest: digest, signature: sig).uncompressed) == expected)
        }
    }
}
