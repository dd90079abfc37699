@testable import Secp256k1
import TestSupport
import Testing

@Suite struct ScalarTests {
    static let nBytes = bytes(hex: "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")

    @Test func arithmeticAgainstPython() throws {
        let seed = testSeed()
        var rng = SeededGenerator(seed: seed)
        let values = interestingValues(below: ScalarTests.nBytes, count: 400, using: &rng)
        var pairs: [([UInt8], [UInt8])] = []
        for (i, a) in values.enumerated() {
            pairs.append((a, values[(i * 5 + 1) % values.count]))
            pairs.append((a, values.randomElement(using: &rng)!))
        }
        let script = """
        import sys
        n = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
        h = lambda v: '%064x' % (v % n)
        for line in sys.stdin.read().split('\\n'):
            if not line: continue
            a, b = (int(x, 16) for x in line.split())
            print(h(a + b), h(a - b), h(a * b), h(pow(a, n - 2, n)), h(-a), int(a > n // 2), h((a * b + (1 << 383)) >> 384))
        """
        guard let lines = try runPython(script, lines: pairs.map { hex($0.0) + " " + hex($0.1) }) else { return }
        try #require(lines.count == pairs.count)
        for ((ab, bb), line) in zip(pairs, lines) {
            let e = line.split(separator: " ").map(String.init)
            let a = try #require(Scalar(exactly: ab)), b = try #require(Scalar(exactly: bb))
            let context = "seed \(seed), a = \(hex(ab)), b = \(hex(bb))"
            #expect(hex((a + b).bytes) == e[0], "add, \(context)")
            #expect(hex((a - b).bytes) == e[1], "sub, \(context)")
            #expect(hex((a * b).bytes) == e[2], "mul, \(context)")
            #expect(hex(a.inverse.bytes) == e[3], "inv, \(context)")
            #expect(hex(a.inverse_var.bytes) == e[3], "inv_var, \(context)")
            #expect(hex(a.fermatInverse.bytes) == e[3], "Fermat inv, \(context)")
            #expect(hex((-a).bytes) == e[4], "neg, \(context)")
            #expect(a.isHigh == (e[5] == "1"), "isHigh, \(context)")
            #expect(hex(Scalar.mulShift384(a, b).bytes) == e[6], "mulShift384, \(context)")
        }
    }

    /// k₁ + k₂·λ ≡ k with both halves (or their negations) below 2^128.
    @Test func lambdaSplit() throws {
        let seed = testSeed()
        var rng = SeededGenerator(seed: seed)
        func isShort(_ s: Scalar) -> Bool { (s.l2 | s.l3) == 0 || ((-s).l2 | (-s).l3) == 0 }
        #expect(Scalar.lambda * Scalar.lambda * Scalar.lambda == .one)
        for v in interestingValues(below: ScalarTests.nBytes, count: 500, using: &rng) {
            let k = try #require(Scalar(exactly: v))
            let (k1, k2) = k.splitLambda
            #expect(k1 + k2 * Scalar.lambda == k, "seed \(seed), k = \(hex(v))")
            #expect(isShort(k1) && isShort(k2), "seed \(seed), k = \(hex(v))")
        }
    }

    /// Values at and above n reduce (digests) or are rejected (keys, r, s).
    @Test func reductionOfEncodings() throws {
        #expect(Scalar(exactly: ScalarTests.nBytes) == nil)
        let nPlus5 = bytes(hex: "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364146")
        #expect(Scalar(reducing: nPlus5) == Scalar(5, 0, 0, 0))
        #expect(Scalar(reducing: [UInt8](repeating: 0xFF, count: 32))
            == Scalar(exactly: bytes(hex: "000000000000000000000000000000014551231950b75fc4402da1732fc9bebe")))
        #expect(Scalar(reducing: ScalarTests.nBytes).isZero)
    }

    @Test func wnafRecodesExactly() throws {
        let seed = testSeed()
        var rng = SeededGenerator(seed: seed)
        for v in interestingValues(below: ScalarTests.nBytes, count: 200, using: &rng) {
            let (k1, _) = try #require(Scalar(exactly: v)).splitLambda
            for w in [5, 14] {
                let wnaf = WNAF(k1, window: w)
                var sum = Scalar.zero
                var power = Scalar.one
                for i in 0..<WNAF.positions {
                    let d = Int(wnaf.digits[i])
                    if d != 0 {
                        #expect(d & 1 == 1 && abs(d) < 1 << (w - 1), "seed \(seed)")
                        let m = Scalar(UInt64(abs(d)), 0, 0, 0) * power
                        sum = d > 0 ? sum + m : sum - m
                    }
                    power = power + power
                }
                #expect(sum == k1, "seed \(seed), k = \(hex(v)), w = \(w)")
            }
        }
    }
}
