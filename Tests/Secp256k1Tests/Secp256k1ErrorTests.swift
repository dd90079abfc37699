import TestSupport
import Hashing
@testable import Secp256k1
import Testing

/// Every rejection the API promises, one case each.
@Suite struct Secp256k1ErrorTests {
    static let n = bytes(hex: "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")
    static let one = [UInt8](repeating: 0, count: 31) + [1]
    static let digest = SHA256.hash(Array("errors".utf8))

    @Test func privateKeys() throws {
        for bad in [[UInt8](repeating: 0, count: 32), Self.n, bytes(hex: "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364142"),
                    [UInt8](repeating: 0xFF, count: 32), [UInt8](repeating: 1, count: 31), [UInt8](repeating: 1, count: 33)] {
            #expect(throws: Secp256k1Error.invalidPrivateKey) { try Secp256k1.PrivateKey(bytes: bad) }
        }
        #expect(throws: Never.self) { try Secp256k1.PrivateKey(bytes: bytes(hex: ECDSATests.nMinus1)) }
        #expect("\(try Secp256k1.PrivateKey(bytes: Self.one))".contains("redacted"))
    }

    @Test func signatureComponents() throws {
        let zero = [UInt8](repeating: 0, count: 32)
        #expect(throws: Secp256k1Error.rOutOfRange) { try Secp256k1.RecoverableSignature(r: zero, s: Self.one, recoveryID: 0) }
        #expect(throws: Secp256k1Error.rOutOfRange) { try Secp256k1.RecoverableSignature(r: Self.n, s: Self.one, recoveryID: 0) }
        #expect(throws: Secp256k1Error.rOutOfRange) { try Secp256k1.RecoverableSignature(r: [1] + zero, s: Self.one, recoveryID: 0) }
        #expect(throws: Secp256k1Error.sOutOfRange) { try Secp256k1.RecoverableSignature(r: Self.one, s: [], recoveryID: 0) }
        #expect(throws: Secp256k1Error.sOutOfRange) { try Secp256k1.RecoverableSignature(r: Self.one, s: Self.n, recoveryID: 0) }
        #expect(throws: Secp256k1Error.invalidRecoveryID(4)) { try Secp256k1.RecoverableSignature(r: Self.one, s: Self.one, recoveryID: 4) }
        let short = try Secp256k1.RecoverableSignature(r: [0x05], s: [0] + Self.one, recoveryID: 3)
        #expect(short.r == [UInt8](repeating: 0, count: 31) + [5])
        #expect(short.s == Self.one)
        #expect(short.recoveryID == 3)
    }

    @Test func recovery() throws {
        let key = try Secp256k1.PrivateKey(bytes: bytes(hex: "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"))
        let sig = key.sign(digest: Self.digest)
        #expect(throws: Secp256k1Error.invalidDigestLength(31)) { try Secp256k1.recover(digest: Self.digest.dropLast(), signature: sig) }

        // r + n ≥ p: p − n itself, and the largest r.
        let pMinusN = bytes(hex: "000000000000000000000000000000014551231950b75fc4402da1722fc9baee")
        for r in [pMinusN, bytes(hex: ECDSATests.nMinus1)] {
            let overflow = try Secp256k1.RecoverableSignature(r: r, s: Self.one, recoveryID: 2)
            #expect(throws: Secp256k1Error.xCoordinateOverflow) { try Secp256k1.recover(digest: Self.digest, signature: overflow) }
        }
        // r = 5: 5³ + 7 = 132 is not a square mod p.
        let noPoint = try Secp256k1.RecoverableSignature(r: [5], s: Self.one, recoveryID: 0)
        #expect(FieldElement(132).squareRoot == nil)
        #expect(throws: Secp256k1Error.noCurvePointForR) { try Secp256k1.recover(digest: Self.digest, signature: noPoint) }

        // R = G and digest z = s make s·R − z·G vanish.
        let gx = bytes(hex: ECDSATests.gx)
        let s = bytes(hex: "00000000000000000000000000000000000000000000000000000000000000ab")
        let atInfinity = try Secp256k1.RecoverableSignature(r: gx, s: s, recoveryID: 0)
        #expect(throws: Secp256k1Error.recoveredPointAtInfinity) { try Secp256k1.recover(digest: s, signature: atInfinity) }
    }

    @Test func publicKeys() throws {
        let g = bytes(hex: ECDSATests.gx + ECDSATests.gy)
        #expect(try Secp256k1.PublicKey(uncompressed: g).uncompressed == g)
        #expect(try Secp256k1.PublicKey(uncompressed: [0x04] + g).uncompressed == g)
        #expect(try Secp256k1.PublicKey(compressed: [0x02] + g.prefix(32)).uncompressed == g)
        #expect(throws: Secp256k1Error.invalidPublicKeyEncoding(63)) { try Secp256k1.PublicKey(uncompressed: g.dropLast()) }
        #expect(throws: Secp256k1Error.invalidPublicKeyEncoding(65)) { try Secp256k1.PublicKey(uncompressed: [0x05] + g) }
        #expect(throws: Secp256k1Error.invalidPublicKeyEncoding(32)) { try Secp256k1.PublicKey(compressed: g.prefix(32)) }
        var offCurve = g
        offCurve[63] ^= 1
        #expect(throws: Secp256k1Error.pointNotOnCurve) { try Secp256k1.PublicKey(uncompressed: offCurve) }
        let p = bytes(hex: "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f")
        #expect(throws: Secp256k1Error.pointNotOnCurve) { try Secp256k1.PublicKey(uncompressed: p + g.suffix(32)) }
        // The point at infinity has no affine encoding; all zeros is off the curve.
        #expect(throws: Secp256k1Error.pointNotOnCurve) { try Secp256k1.PublicKey(uncompressed: [UInt8](repeating: 0, count: 64)) }
        #expect(throws: Secp256k1Error.pointNotOnCurve) { try Secp256k1.PublicKey(compressed: [0x02] + [UInt8](repeating: 0, count: 31) + [5]) }
    }

    @Test func verifyRejectsMalformedInput() throws {
        let key = try Secp256k1.PrivateKey(bytes: Self.one)
        let sig = key.sign(digest: Self.digest)
        let pub = key.publicKey
        #expect(Secp256k1.verify(digest: Self.digest, r: sig.r, s: sig.s, publicKey: pub))
        #expect(!Secp256k1.verify(digest: Self.digest.dropLast(), r: sig.r, s: sig.s, publicKey: pub))
        #expect(!Secp256k1.verify(digest: Self.digest, r: [0], s: sig.s, publicKey: pub))
        #expect(!Secp256k1.verify(digest: Self.digest, r: sig.r, s: Self.n, publicKey: pub))
        #expect(!Secp256k1.verify(digest: Self.digest, r: sig.s, s: sig.r, publicKey: pub))
        let other = try Secp256k1.PrivateKey(bytes: bytes(hex: ECDSATests.nMinus1)).publicKey
        #expect(!Secp256k1.verify(digest: Self.digest, r: sig.r, s: sig.s, publicKey: other))
    }
}
