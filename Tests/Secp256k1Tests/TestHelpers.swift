import Foundation
import TestSupport

/// Runs a Python 3 script with `lines` on stdin and returns its stdout
/// lines, or nil (after printing why) when python3 or a module the script
/// imports is missing, so the caller can skip.
func runPython(_ script: String, lines: [String], requiring module: String? = nil, test: String = #function) throws -> [String]? {
    guard let python = TestSupport.Executables.which("python3") else {
        print("\(test): python3 not found: skipping this cross-check")
        return nil
    }
    if let module {
        let probe = try TestSupport.Executables.run(python, ["-c", "import \(module)"])
        guard probe.status == 0 else {
            print("\(test): python module '\(module)' not importable: skipping this cross-check")
            return nil
        }
    }
    let result = try TestSupport.Executables.run(python, ["-c", script], stdin: lines.joined(separator: "\n") + "\n")
    guard result.status == 0 else {
        throw PythonFailure(message: result.stderr)
    }
    return result.stdout.split(separator: "\n").map(String.init)
}

struct PythonFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { "python failed: \(message)" }
}

/// Python definitions shared by the cross-check scripts: the curve
/// constants and plain affine arithmetic, slow but obviously right.
let pythonCurve = """
p = 2**256 - 2**32 - 977
n = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
G = (0x79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798,
     0x483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8)
def add(P, Q):
    if P is None: return Q
    if Q is None: return P
    if P[0] == Q[0] and (P[1] + Q[1]) % p == 0: return None
    if P == Q: l = 3 * P[0] * P[0] * pow(2 * P[1], -1, p) % p
    else: l = (Q[1] - P[1]) * pow(Q[0] - P[0], -1, p) % p
    x = (l * l - P[0] - Q[0]) % p
    return (x, (l * (P[0] - x) - P[1]) % p)
def mul(k, P):
    R = None
    while k:
        if k & 1: R = add(R, P)
        P = add(P, P); k >>= 1
    return R
def fmt(P): return 'inf' if P is None else '%064x%064x' % P

"""

/// 256-bit test values below `modulus` (big-endian bytes) chosen to hit
/// carries: small numbers, values just below the modulus, powers of two and
/// their neighbours, long runs of 0 and 1 bits, and uniform random values.
func interestingValues(below modulus: [UInt8], count: Int, using rng: inout SeededGenerator) -> [[UInt8]] {
    func less(_ a: [UInt8], _ b: [UInt8]) -> Bool { a.lexicographicallyPrecedes(b) }
    func minus(_ a: [UInt8], _ k: UInt8) -> [UInt8] {
        var r = a, borrow = Int(k)
        for i in stride(from: 31, through: 0, by: -1) where borrow > 0 {
            let v = Int(r[i]) - borrow
            r[i] = UInt8((v + 256) % 256)
            borrow = v < 0 ? 1 : 0
        }
        return r
    }
    var out: [[UInt8]] = []
    for k in [0, 1, 2, 3, 7] as [UInt8] { out.append([UInt8](repeating: 0, count: 31) + [k]) }
    for k in [1, 2, 3, 5] as [UInt8] { out.append(minus(modulus, k)) }
    for bit in [0, 1, 31, 32, 33, 63, 64, 65, 127, 128, 129, 191, 192, 254, 255] {
        var v = [UInt8](repeating: 0, count: 32)
        v[31 - bit / 8] = 1 << (bit % 8)
        out.append(v)
        out.append(minus(v, 1))
    }
    while out.count < count {
        var v = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        switch Int.random(in: 0..<3, using: &rng) {
        case 0:
            let fill: UInt8 = Bool.random(using: &rng) ? 0xFF : 0
            let start = Int.random(in: 0..<32, using: &rng)
            let end = Int.random(in: start...32, using: &rng)
            for i in start..<end { v[i] = fill }
        case 1:
            v = [UInt8](repeating: Bool.random(using: &rng) ? 0xFF : 0, count: 32)
            v[Int.random(in: 0..<32, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
        default: break
        }
        out.append(v)
    }
    return out.filter { less($0, modulus) }
}
