@testable import Secp256k1
import TestSupport
import Testing

@Suite struct FieldTests {
    static let pBytes = bytes(hex: "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f")

    /// Every field operation against Python's big integers, on values chosen
    /// to hit carries (runs of 0/1 bits, near p, powers of two) and random
    /// ones, from a printed seed.
    @Test func arithmeticAgainstPython() throws {
        let seed = testSeed()
        var rng = SeededGenerator(seed: seed)
        let values = interestingValues(below: FieldTests.pBytes, count: 400, using: &rng)
        var pairs: [([UInt8], [UInt8])] = []
        for (i, a) in values.enumerated() {
            pairs.append((a, values[(i * 7 + 3) % values.count]))
            pairs.append((a, values.randomElement(using: &rng)!))
        }
        let script = """
        import sys
        p = 2**256 - 2**32 - 977
        h = lambda v: '%064x' % (v % p)
        for line in sys.stdin.read().split('\\n'):
            if not line: continue
            a, b = (int(x, 16) for x in line.split())
            r = pow(a, (p + 1) // 4, p)
            sq = h(r) if r * r % p == a else 'none'
            half = a // 2 if a % 2 == 0 else (a + p) // 2
            print(h(a + b), h(a - b), h(a * b), h(a * a), h(pow(a, p - 2, p)), sq, h(half), h(-a), h(a * 3))
        """
        guard let lines = try runPython(script, lines: pairs.map { hex($0.0) + " " + hex($0.1) }) else { return }
        try #require(lines.count == pairs.count)
        for ((ab, bb), line) in zip(pairs, lines) {
            let e = line.split(separator: " ").map(String.init)
            let a = try #require(FieldElement(bytes: ab)), b = try #require(FieldElement(bytes: bb))
            let context = "seed \(seed), a = \(hex(ab)), b = \(hex(bb))"
            #expect(hex((a + b).bytes) == e[0], "add, \(context)")
            #expect(hex((a - b).bytes) == e[1], "sub, \(context)")
            #expect(hex((a * b).bytes) == e[2], "mul, \(context)")
            #expect(hex(a.squared.bytes) == e[3], "sqr, \(context)")
            #expect(hex(a.inverse.bytes) == e[4], "inv, \(context)")
            #expect(hex(a.inverse_var.bytes) == e[4], "inv_var, \(context)")
            #expect(hex(a.fermatInverse.bytes) == e[4], "Fermat inv, \(context)")
            #expect((a.squareRoot.map { hex($0.bytes) } ?? "none") == e[5], "sqrt, \(context)")
            #expect(hex(a.halved.bytes) == e[6], "half, \(context)")
            #expect(hex((-a).bytes) == e[7], "neg, \(context)")
            #expect(hex(a.times(3).bytes) == e[8], "times 3, \(context)")
        }
    }

    @Test func rejectsEncodingsAtOrAboveP() {
        #expect(FieldElement(bytes: FieldTests.pBytes) == nil)
        #expect(FieldElement(bytes: [UInt8](repeating: 0xFF, count: 32)) == nil)
        var pMinus1 = FieldTests.pBytes
        pMinus1[31] -= 1
        #expect(FieldElement(bytes: pMinus1) != nil)
        #expect(FieldElement(bytes: [UInt8](repeating: 0, count: 31)) == nil)
    }

    /// Algebraic identities on many random elements (no Python needed).
    @Test func identities() throws {
        let seed = testSeed()
        var rng = SeededGenerator(seed: seed)
        for v in interestingValues(below: FieldTests.pBytes, count: 300, using: &rng) {
            let a = try #require(FieldElement(bytes: v))
            let b = a.squared + .one
            #expect(a * b == b * a, "seed \(seed)")
            #expect(a - a == .zero, "seed \(seed)")
            #expect(a.halved + a.halved == a, "seed \(seed)")
            #expect(a + (-a) == .zero, "seed \(seed)")
            if !a.isZero { #expect(a * a.inverse == .one, "seed \(seed)") }
            #expect(a.squared.squareRoot.map { $0 == a || $0 == -a } == true, "seed \(seed)")
        }
    }

    /// Limbs in [p, 2^256) are second representatives of 0 … 2^32 + 976,
    /// which intermediate results may hold: every operation must treat them
    /// as their canonical value (including the double borrow in a − b when
    /// b ≥ p).
    @Test func nonCanonicalRepresentatives() throws {
        let seed = testSeed()
        var rng = SeededGenerator(seed: seed)
        let p0 = FieldElement.p0
        let ks: [UInt64] = [0, 1, 2, 7, 0x1_0000_03D0, UInt64.random(in: 0...0x1_0000_03D0, using: &rng)]
        let others = try interestingValues(below: FieldTests.pBytes, count: 40, using: &rng).map { try #require(FieldElement(bytes: $0)) }
        for k in ks {
            var carry: UInt64 = 0
            let raw = FieldElement(addCarry(p0, k, &carry), addCarry(.max, 0, &carry), addCarry(.max, 0, &carry), addCarry(.max, 0, &carry))
            try #require(carry == 0)
            let canonical = FieldElement(k)
            let context = "seed \(seed), k = \(k)"
            #expect(raw == canonical, "\(context)")
            #expect(raw.bytes == canonical.bytes, "\(context)")
            #expect(raw.hashValue == canonical.hashValue, "\(context)")
            #expect(raw.isZero == (k == 0), "\(context)")
            #expect(raw.isOdd == (k & 1 == 1), "\(context)")
            #expect((-raw).bytes == (-canonical).bytes, "\(context)")
            #expect(raw.halved.bytes == canonical.halved.bytes, "\(context)")
            #expect(raw.squared.bytes == canonical.squared.bytes, "\(context)")
            #expect(raw.inverse.bytes == canonical.inverse.bytes, "\(context)")
            #expect(raw.inverse_var.bytes == canonical.inverse_var.bytes, "\(context)")
            #expect((raw + raw).bytes == (canonical + canonical).bytes, "\(context)")
            #expect((raw - raw).isZero, "\(context)")
            for b in others + [raw] {
                #expect((raw + b).bytes == (canonical + b).bytes, "\(context)")
                #expect((raw - b).bytes == (canonical - b).bytes, "\(context)")
                #expect((b - raw).bytes == (b - canonical).bytes, "\(context)")
                #expect((raw * b).bytes == (canonical * b).bytes, "\(context)")
            }
        }
    }
}
