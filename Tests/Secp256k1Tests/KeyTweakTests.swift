import Secp256k1
import TestSupport
import Testing

/// `PrivateKey.adding(tweak:)`, the BIP-32 child-key step, and the
/// compressed public key BIP-32 hashes, against Python integers and the
/// plain affine arithmetic of `pythonCurve`.
@Suite struct KeyTweakTests {
    static let n = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"

    @Test func invalidTweaksAndSumsAreRejected() throws {
        let one = [UInt8](repeating: 0, count: 31) + [1]
        let key = try Secp256k1.PrivateKey(bytes: one)
        #expect(key.adding(tweak: bytes(hex: Self.n)) == nil, "tweak = n")
        #expect(key.adding(tweak: [UInt8](repeating: 0xff, count: 32)) == nil, "tweak > n")
        #expect(key.adding(tweak: one.dropFirst()) == nil, "31-byte tweak")
        let nMinus1 = bytes(hex: "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140")
        #expect(key.adding(tweak: nMinus1) == nil, "1 + (n - 1) = 0 mod n")
        #expect(key.adding(tweak: [UInt8](repeating: 0, count: 32)) == key, "tweak 0")
        let wrapped = try Secp256k1.PrivateKey(bytes: nMinus1).adding(tweak: [UInt8](repeating: 0, count: 31) + [3])
        #expect(wrapped?.bytes == [UInt8](repeating: 0, count: 31) + [2], "(n - 1) + 3 = 2 mod n")
    }

    @Test func randomTweaksAgainstPython() throws {
        let seed = testSeed()
        var rng = SeededGenerator(seed: seed)
        var cases: [([UInt8], [UInt8])] = []
        while cases.count < 100 {
            let k = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
            var t = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if cases.count % 10 == 0 { t = [UInt8](repeating: 0xff, count: 16) + t.suffix(16) }
            guard (try? Secp256k1.PrivateKey(bytes: k)) != nil else { continue }
            cases.append((k, t))
        }
        let script = pythonCurve + """
        import sys
        for line in sys.stdin.read().split():
            k, t = int(line[:64], 16), int(line[64:], 16)
            if t >= n or (k + t) % n == 0: print('none'); continue
            s = (k + t) % n
            P = mul(s, G)
            print('%064x' % s, ('03' if P[1] & 1 else '02') + '%064x' % P[0])
        """
        guard let lines = try runPython(script, lines: cases.map { hex($0.0) + hex($0.1) }) else { return }
        try #require(lines.count == cases.count)
        for ((k, t), line) in zip(cases, lines) {
            let sum = try Secp256k1.PrivateKey(bytes: k).adding(tweak: t)
            let ours = sum.map { hex($0.bytes) + " " + hex($0.publicKey.compressed) } ?? "none"
            #expect(ours == line, "seed \(seed), key \(hex(k)), tweak \(hex(t))")
        }
        print("KeyTweakTests: \(cases.count) tweaks and compressed keys matched Python (seed \(seed))")
    }
}
