@testable import Secp256k1
import TestSupport
import Testing

@Suite struct GroupTests {
    static let nBytes = ScalarTests.nBytes

    static func hexPoint(_ p: JacobianPoint) -> String {
        guard let a = p.affine_var else { return "inf" }
        return hex(a.x.bytes + a.y.bytes)
    }

    static func point(hex h: String) throws -> AffinePoint {
        let b = bytes(hex: h)
        return AffinePoint(x: try #require(FieldElement(bytes: Array(b[0..<32]))),
                           y: try #require(FieldElement(bytes: Array(b[32..<64]))))
    }

    /// k·G by the comb table against Python's double-and-add.
    @Test func generatorMultiplesAgainstPython() throws {
        let seed = testSeed()
        var rng = SeededGenerator(seed: seed)
        let ks = interestingValues(below: GroupTests.nBytes, count: 60, using: &rng).filter { $0.contains { $0 != 0 } }
        let script = pythonCurve + """
        import sys
        for line in sys.stdin.read().split():
            print(fmt(mul(int(line, 16), G)))
        """
        guard let lines = try runPython(script, lines: ks.map { hex($0) }) else { return }
        try #require(lines.count == ks.count)
        for (k, expected) in zip(ks, lines) {
            let s = try #require(Scalar(exactly: k))
            #expect(GroupTests.hexPoint(ECMultGen.multiply(s)) == expected, "seed \(seed), k = \(hex(k))")
        }
    }

    /// a·P + b·G (GLV, wNAF, common-Z table, interleaving) against Python,
    /// including a = 0, b = 0 and sums that cancel to infinity.
    @Test func doubleMultiplicationAgainstPython() throws {
        let seed = testSeed()
        var rng = SeededGenerator(seed: seed)
        let values = interestingValues(below: GroupTests.nBytes, count: 90, using: &rng)
        var cases: [(c: [UInt8], a: [UInt8], b: [UInt8])] = []
        for i in stride(from: 0, to: values.count - 2, by: 3) where values[i].contains(where: { $0 != 0 }) {
            cases.append((values[i], values[i + 1], values[i + 2]))
        }
        let one = [UInt8](repeating: 0, count: 31) + [1]
        let a = values[values.count / 2]
        var minusA = GroupTests.nBytes
        var borrow = 0
        for i in stride(from: 31, through: 0, by: -1) {
            let v = Int(minusA[i]) - Int(a[i]) - borrow
            minusA[i] = UInt8((v + 256) % 256)
            borrow = v < 0 ? 1 : 0
        }
        cases.append((one, a, minusA))  // a·G + (n − a)·G = infinity
        cases.append((one, a, a))  // a·G + a·G: the streams coincide
        cases.append((values[5], [UInt8](repeating: 0, count: 32), values[6]))
        cases.append((values[5], values[6], [UInt8](repeating: 0, count: 32)))
        let script = pythonCurve + """
        import sys
        for line in sys.stdin.read().split('\\n'):
            if not line: continue
            c, a, b = (int(x, 16) for x in line.split())
            P = mul(c, G)
            print(fmt(P), fmt(add(mul(a, P), mul(b, G))))
        """
        guard let lines = try runPython(script, lines: cases.map { "\(hex($0.c)) \(hex($0.a)) \(hex($0.b))" }) else { return }
        try #require(lines.count == cases.count)
        for (c, line) in zip(cases, lines) {
            let parts = line.split(separator: " ").map(String.init)
            let p = try GroupTests.point(hex: parts[0])
            let result = ECMult.multiply_var(point: p, try #require(Scalar(exactly: c.a)), generator: try #require(Scalar(exactly: c.b)))
            #expect(GroupTests.hexPoint(result) == parts[1], "seed \(seed), c = \(hex(c.c)), a = \(hex(c.a)), b = \(hex(c.b))")
        }
    }

    @Test func tablesHoldTheRightPoints() throws {
        let g = ECMult.generatorTable
        #expect(g.count == 1 << (ECMult.generatorWindow - 2))
        #expect(g[0] == AffinePoint.generator)
        #expect(g.allSatisfy { $0.isOnCurve })
        let three = ECMultGen.multiply(Scalar(3, 0, 0, 0)).affine_var
        #expect(g[1] == three)
        #expect(ECMultGen.table.count == ECMultGen.rows * ECMultGen.digits)
        #expect(ECMultGen.table.allSatisfy { $0.isOnCurve })
    }

    @Test func additionFormulasAgree() throws {
        let g = JacobianPoint(.generator)
        let two = g.doubled()
        #expect(GroupTests.hexPoint(g.adding_var(.generator)) == GroupTests.hexPoint(two))
        #expect(GroupTests.hexPoint(g.adding_var(g)) == GroupTests.hexPoint(two))
        #expect(g.adding_var(AffinePoint.generator.negated).isInfinity)
        #expect(g.adding_var(g.negated).isInfinity)
        #expect(GroupTests.hexPoint(JacobianPoint.infinity.adding_var(.generator)) == GroupTests.hexPoint(g))
        #expect(JacobianPoint.infinity.doubled().isInfinity)
        let three = two.adding_var(.generator)
        #expect(GroupTests.hexPoint(three) == GroupTests.hexPoint(g.adding_var(two)))
        // λ·G = (β·Gx, Gy).
        let lambdaG = ECMultGen.multiply(Scalar.lambda).affine_var
        #expect(lambdaG == AffinePoint.generator.timesLambda)
    }
}
