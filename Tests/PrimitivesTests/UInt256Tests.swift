import Foundation
import Primitives
import TestSupport
import Testing

/// UInt256 against references: Swift's `UInt128` for values that fit, and
/// python3's big integers for a random batch of full-width cases.
@Suite struct UInt256Tests {
    static let two64 = UInt256(w0: 0, w1: 1, w2: 0, w3: 0)
    static let two128 = UInt256(w0: 0, w1: 0, w2: 1, w3: 0)
    static let two192 = UInt256(w0: 0, w1: 0, w2: 0, w3: 1)

    @Test func edgeCases() {
        #expect(UInt256.max.addingReportingOverflow(1) == (UInt256.zero, true))
        #expect(UInt256.zero.subtractingReportingOverflow(1) == (UInt256.max, true))
        #expect(UInt256(UInt64.max) + 1 == Self.two64)
        #expect(UInt256(w0: .max, w1: .max, w2: 0, w3: 0) + 1 == Self.two128)
        #expect(UInt256(w0: .max, w1: .max, w2: .max, w3: 0) + 1 == Self.two192)
        #expect(Self.two192 - 1 == UInt256(w0: .max, w1: .max, w2: .max, w3: 0))
        #expect(UInt256.max &+ UInt256.max == UInt256.max - 1)
        #expect(UInt256.max.multipliedReportingOverflow(by: 1) == (UInt256.max, false))
        #expect(UInt256.max.multipliedReportingOverflow(by: 2) == (UInt256.max - 1, true))
        #expect(Self.two128.multipliedReportingOverflow(by: Self.two128) == (.zero, true))
        #expect(Self.two128 * (Self.two128 - 1) == UInt256.max - (Self.two128 - 1))
        let full = UInt256.max.multipliedFullWidth(by: .max)
        #expect(full.high == UInt256.max - 1 && full.low == 1)
        #expect(UInt256.max / UInt256.max == 1)
        #expect(UInt256.max % UInt256.max == 0)
        #expect(UInt256.max / 1 == UInt256.max)
        #expect(UInt256.max / Self.two64 == UInt256(w0: .max, w1: .max, w2: .max, w3: 0))
        #expect((UInt256(5) / 7, UInt256(5) % 7) == (0, 5))
        #expect(UInt256.max >> 255 == 1)
        #expect(UInt256(1) << 255 == UInt256(w0: 0, w1: 0, w2: 0, w3: 1 << 63))
        #expect(UInt256.max << 256 == .zero && UInt256.max >> 300 == .zero)
        #expect(UInt256(1) << 64 == Self.two64 && Self.two64 >> 64 == 1)
        #expect(UInt256.max.leadingZeroBitCount == 0 && UInt256.zero.leadingZeroBitCount == 256)
        #expect(UInt256(1).uint64 == 1 && Self.two64.uint64 == nil)
        #expect(UInt256.zero.isZero && !UInt256(1).isZero)
        #expect(UInt256(3) < Self.two64 && Self.two64 < Self.two128 && !(Self.two128 < Self.two128))
        #expect(~UInt256.zero == UInt256.max)
        var x: UInt256 = 10
        x += 5; x -= 3; x *= 4; x /= 6; x %= 5
        #expect(x == 3)
    }

    /// Division's rare correction step (qhat too large by two, then add-back)
    /// is hit by divisors whose top limbs are near the base.
    @Test func divisionCorrections() {
        let cases: [(UInt256, UInt256)] = [
            (UInt256(w0: 0, w1: 0, w2: 0, w3: 0x8000_0000_0000_0000), UInt256(w0: 1, w1: 0, w2: 0x8000_0000_0000_0000, w3: 0)),
            (UInt256(w0: 0, w1: .max, w2: .max, w3: 0x7fff_ffff_ffff_ffff), UInt256(w0: .max, w1: 0, w2: 0x8000_0000_0000_0000, w3: 0)),
            (UInt256(w0: 0, w1: 0, w2: 0xfffe_0000_0000_0000, w3: 0x8000_0000_0000_0000), UInt256(w0: 0, w1: .max, w2: 0x8000_0000_0000_0000, w3: 0)),
            (UInt256.max, UInt256(w0: .max, w1: .max, w2: .max, w3: 1)),
            (UInt256.max, UInt256(w0: 1, w1: 0, w2: 0, w3: 1)),
            (UInt256.max, UInt256(w0: 0, w1: 1, w2: 0, w3: 0)),
        ]
        // Found by searching a model of the algorithm for inputs that take
        // the add-back branch (probability about 2^-63 for random limbs).
        let addBack: [(String, String)] = [
            ("0xc00000000000000000000000000000014f6f34e9a94e498911b40f8c28d09af4", "0x80000000000000000000000000000000fffffffffffffffe"),
            ("0x4000000000000000800000000000000000000000fffffffff538a431ac22fb6c", "0x800000000000000000000000000000008000000000000001"),
            ("0xc00000000000000000000000000000000000000000000001e765822467b2fd94", "0xc00000000000000000000000000000008000000000000001"),
            ("0xe05f87e98355a39f000000000000000080000000000000018000000000000000", "0x280000000000000000000000000000002"),
        ]
        for (a, b) in cases { checkDivision(a, b) }
        for (a, b) in addBack { checkDivision(UInt256(hexQuantity: a)!, UInt256(hexQuantity: b)!) }
        var rng = Xoshiro256StarStar(seed: 7)
        for _ in 0..<20_000 {
            let a = randomUInt256(&rng), b = randomUInt256(&rng)
            if !b.isZero { checkDivision(a, b) }
        }
    }

    private func checkDivision(_ a: UInt256, _ b: UInt256) {
        let (q, r) = a.quotientAndRemainder(dividingBy: b)
        #expect(r < b, "\(a) / \(b)")
        let (product, o1) = q.multipliedReportingOverflow(by: b)
        let (sum, o2) = product.addingReportingOverflow(r)
        #expect(!o1 && !o2 && sum == a, "\(a) / \(b) gave \(q) rem \(r)")
    }

    @Test func againstUInt128() {
        var rng = Xoshiro256StarStar(seed: 128)
        func widen(_ v: UInt128) -> UInt256 {
            UInt256(w0: UInt64(truncatingIfNeeded: v), w1: UInt64(truncatingIfNeeded: v >> 64), w2: 0, w3: 0)
        }
        for _ in 0..<20_000 {
            let a = UInt128(rng.next()) << (rng.next() % 2 == 0 ? 64 : 0) | UInt128(rng.next() >> (rng.next() % 64))
            let b = UInt128(rng.next() >> (rng.next() % 64)) << (rng.next() % 3 == 0 ? 64 : 0) | UInt128(rng.next() % 1000)
            let (s, so) = a.addingReportingOverflow(b)
            #expect(widen(a) + widen(b) == widen(s) + (so ? UInt256(1) << 128 : .zero))
            if a >= b { #expect(widen(a) - widen(b) == widen(a - b)) }
            let full = a.multipliedFullWidth(by: b)
            #expect(widen(a) * widen(b) == widen(full.high) << 128 | widen(full.low))
            if b != 0 {
                #expect(widen(a) / widen(b) == widen(a / b))
                #expect(widen(a) % widen(b) == widen(a % b))
            }
            #expect(widen(a).description == String(a))
            #expect(widen(a).hexQuantity == "0x" + String(a, radix: 16))
            #expect((widen(a) < widen(b)) == (a < b))
            #expect(widen(a) & widen(b) == widen(a & b) && widen(a) ^ widen(b) == widen(a ^ b))
            let k = Int(rng.next() % 128)
            #expect(widen(a) >> k == widen(a >> k))
        }
    }

    /// Random full-width operands with mixed magnitudes checked against
    /// python3's integers in one batch.
    @Test func againstPython() throws {
        guard let python = Executables.which("python3") else {
            print("UInt256 python cross-check: SKIPPED (python3 not found)")
            return
        }
        let seed = UInt64.random(in: 0...UInt64.max)
        var rng = Xoshiro256StarStar(seed: seed)
        let pairs = (0..<2000).map { _ in (randomUInt256(&rng), randomUInt256(&rng), Int(rng.next() % 260)) }
        let script = """
            import sys
            M = 1 << 256
            for line in sys.stdin.read().splitlines():
                a, b, k = line.split()
                a, b, k = int(a, 16), int(b, 16), int(k)
                out = [(a + b) % M, (a - b) % M, (a * b) % M, int(a * b >= M), (a << k) % M, a >> k]
                out += [a // b, a % b] if b else [0, 0]
                print(" ".join(hex(v)[2:] for v in out) + " " + str(a))
            """
        let input = pairs.map { "\($0.0.hexQuantity.dropFirst(2)) \($0.1.hexQuantity.dropFirst(2)) \($0.2)" }.joined(separator: "\n") + "\n"
        let result = try Executables.run(python, ["-c", script], stdin: input)
        #expect(result.status == 0, "python3 failed: \(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == pairs.count)
        var agreed = 0
        for ((a, b, k), line) in zip(pairs, lines) {
            let f = line.split(separator: " ").map(String.init)
            let v = f.dropLast().compactMap { UInt256(hexQuantity: "0x" + $0) }
            var ours = [a &+ b, a &- b, a &* b, a.multipliedReportingOverflow(by: b).overflow ? 1 : 0, (a << k), a >> k]
            ours += b.isZero ? [0, 0] : [a / b, a % b]
            if ours == v && a.description == f.last! && UInt256(decimal: f.last!) == a {
                agreed += 1
            } else {
                Issue.record("mismatch for a=\(a.hexQuantity) b=\(b.hexQuantity) k=\(k) (seed \(seed))")
            }
        }
        print("UInt256 python cross-check: \(agreed)/\(pairs.count) random cases agree (seed \(seed))")
    }

    @Test func bytes() {
        let v = UInt256(w0: 0x0102_0304_0506_0708, w1: 0, w2: 0, w3: 0xff00_0000_0000_0000)
        #expect(v.bigEndianBytes == [0xff] + [UInt8](repeating: 0, count: 23) + [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(v.minimalBigEndianBytes.count == 32)
        #expect(UInt256(0x1234).minimalBigEndianBytes == [0x12, 0x34])
        #expect(UInt256.zero.minimalBigEndianBytes == [])
        #expect(UInt256(bigEndianBytes: v.bigEndianBytes) == v)
        #expect(UInt256(bigEndianBytes: [0x12, 0x34]) == 0x1234)
        #expect(UInt256(bigEndianBytes: []) == 0)
        #expect(UInt256(bigEndianBytes: [UInt8](repeating: 0, count: 33)) == nil)
        #expect(UInt256(bigEndianBytes: [0x12, 0x34].lazy.map { $0 }) == 0x1234)
        var rng = Xoshiro256StarStar(seed: 32)
        for _ in 0..<1000 {
            let x = randomUInt256(&rng)
            #expect(UInt256(bigEndianBytes: x.minimalBigEndianBytes) == x)
            #expect(Hash32(x).uint256 == x && Hash32(x).bytes == x.bigEndianBytes)
        }
    }

    @Test func text() {
        let max = "115792089237316195423570985008687907853269984665640564039457584007913129639935"
        #expect(UInt256.max.description == max)
        #expect(UInt256(decimal: max) == .max)
        #expect(UInt256(decimal: "115792089237316195423570985008687907853269984665640564039457584007913129639936") == nil)
        #expect(UInt256(decimal: "") == nil && UInt256(decimal: "-1") == nil && UInt256(decimal: "1 ") == nil)
        #expect(UInt256(decimal: "0") == 0 && UInt256.zero.description == "0")
        #expect(UInt256(decimal: "18446744073709551616") == Self.two64)
        #expect(Self.two64.description == "18446744073709551616")
        #expect(UInt256(10_000_000_000_000_000_000).description == "10000000000000000000")
        #expect((UInt256(10_000_000_000_000_000_000) * 10_000_000_000_000_000_000).description == "100000000000000000000000000000000000000")

        #expect(UInt256.zero.hexQuantity == "0x0" && UInt256(0x1f).hexQuantity == "0x1f")
        #expect(UInt256.max.hexQuantity == "0x" + String(repeating: "f", count: 64))
        #expect(UInt256(hexQuantity: "0x0") == 0 && UInt256(hexQuantity: "0x1F") == 0x1f)
        #expect(UInt256(hexQuantity: "0x") == nil && UInt256(hexQuantity: "") == nil && UInt256(hexQuantity: "1f") == nil)
        #expect(UInt256(hexQuantity: "0xg") == nil && UInt256(hexQuantity: "0x 1") == nil)
        #expect(UInt256(hexQuantity: "0x01") == 1 && UInt256(hexQuantity: "0x01", strict: true) == nil)
        #expect(UInt256(hexQuantity: "0x00", strict: true) == nil && UInt256(hexQuantity: "0x0", strict: true) == 0)
        #expect(UInt256(hexQuantity: "0x" + String(repeating: "f", count: 64)) == .max)
        #expect(UInt256(hexQuantity: "0x1" + String(repeating: "0", count: 64)) == nil)
        #expect(UInt256(hexQuantity: "0x000" + String(repeating: "f", count: 64)) == .max)
        #expect(UInt256(hexQuantity: "0x10000000000000000") == Self.two64)
        let sub = "[0x2a]".dropFirst().dropLast()
        #expect(UInt256(hexQuantity: sub) == 42)
    }

    @Test func literalsAndHashing() {
        let a: UInt256 = 42
        #expect(Set([a, UInt256(42), UInt256(43)]).count == 2)
        #expect([UInt256(3), 1, Self.two64, 2].sorted() == [1, 2, 3, Self.two64])
    }
}

/// A random value with a random number of significant limbs and some long
/// runs of ones and zeros, which is where carries and borrows go wrong.
func randomUInt256(_ rng: inout Xoshiro256StarStar) -> UInt256 {
    var v = UInt256.zero
    for i in 0..<4 {
        switch rng.next() % 6 {
        case 0: v[limb: i] = 0
        case 1: v[limb: i] = .max
        case 2: v[limb: i] = rng.next() >> (rng.next() % 64)
        default: v[limb: i] = rng.next()
        }
    }
    return v >> Int(rng.next() % 4 == 0 ? rng.next() % 256 : 0)
}
