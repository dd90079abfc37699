import TestSupport
import Dispatch
import Hashing
@testable import Secp256k1
import Synchronization
import Testing

@Suite struct ECDSATests {
    static let gx = "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
    static let gy = "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8"
    static let minusGy = "b7c52588d95c3b9aa25b0403f1eef75702e84bb7597aabe663b82f6f04ef2777"
    static let nMinus1 = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140"

    @Test func privateKeyOneIsG() throws {
        let key = try Secp256k1.PrivateKey(bytes: bytes(hex: "00000000000000000000000000000000000000000000000000000000000000" + "01"))
        #expect(hex(key.publicKey.uncompressed) == ECDSATests.gx + ECDSATests.gy)
        #expect(hex(key.publicKey.compressed) == "02" + ECDSATests.gx)
    }

    @Test func privateKeyNMinusOneIsMinusG() throws {
        let key = try Secp256k1.PrivateKey(bytes: bytes(hex: ECDSATests.nMinus1))
        #expect(hex(key.publicKey.uncompressed) == ECDSATests.gx + ECDSATests.minusGy)
        #expect(hex(key.publicKey.compressed) == "03" + ECDSATests.gx)
    }

    /// RFC 6979 secp256k1/SHA-256 vectors (the widely used set from
    /// bitcoinjs/trezor), as r‖s‖recovery id after low-s normalization,
    /// matching libsecp256k1.
    @Test(arguments: [
        ("0000000000000000000000000000000000000000000000000000000000000001", "Satoshi Nakamoto",
         "934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d82442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e501"),
        ("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140", "Satoshi Nakamoto",
         "fd567d121db66e382991534ada77a6bd3106f0a1098c231e47993447cd6af2d06b39cd0eb1bc8603e159ef5c20a5c8ad685a45b06ce9bebed3f153d10d93bed500"),
        ("f8b8af8ce3c7cca5e300d33939540c10d45ce001b8f252bfbc57ba0342904181", "Alan Turing",
         "7063ae83e7f62bbb171798131b4a0564b956930092b33b07b395615d9ec7e15c58dfcc1e00a35e1572f366ffe34ba0fc47db1e7189759b9fb233c5b05ab388ea00"),
        ("0000000000000000000000000000000000000000000000000000000000000001",
         "All those moments will be lost in time, like tears in rain. Time to die...",
         "8600dbd41e348fe5c9465ab92d23e3db8b98b873beecd930736488696438cb6b547fe64427496db33bf66019dacbf0039c04199abb0122918601db38a72cfc2100"),
    ])
    func rfc6979Vectors(key: String, message: String, expected: String) throws {
        let privateKey = try Secp256k1.PrivateKey(bytes: bytes(hex: key))
        let digest = SHA256.hash(Array(message.utf8))
        let sig = privateKey.sign(digest: digest)
        #expect(hex(sig.r + sig.s + [sig.recoveryID]) == expected)
        #expect(sig.isLowS)
        #expect(try Secp256k1.recover(digest: digest, signature: sig) == privateKey.publicKey)
        #expect(Secp256k1.verify(digest: digest, r: sig.r, s: sig.s, publicKey: privateKey.publicKey))
    }

    /// The first Hardhat/Anvil development account: its public key, and the
    /// address keccak256(pubkey)[12...] when pycryptodome is there to hash.
    @Test func ethereumDevAccount() throws {
        let key = try Secp256k1.PrivateKey(bytes: bytes(hex: "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"))
        let publicKey = hex(key.publicKey.uncompressed)
        #expect(publicKey == "8318535b54105d4a7aae60c08fc45f9687181b4fdfc625bd1a753fa7397fed75"
            + "3547f11ca8696646f2f3acb08e31016afac23e630c5d11f59f61fef57b0d2aa5")
        let script = "import sys\nfrom Crypto.Hash import keccak\nh = keccak.new(digest_bits=256)\nh.update(bytes.fromhex(sys.stdin.read().strip()))\nprint(h.hexdigest()[-40:])"
        guard let lines = try runPython(script, lines: [publicKey], requiring: "Crypto.Hash.keccak") else { return }
        #expect(lines == ["f39fd6e51aad88f6f4ce6ab8827279cfffb92266"])
    }

    /// Sign, recover, verify for random keys; the flipped recovery id gives
    /// another key, and the high-s twin recovers the same key only when
    /// high s is allowed.
    @Test func roundTrips() throws {
        let seed = testSeed()
        var rng = SeededGenerator(seed: seed)
        var idsSeen = Set<UInt8>()
        for _ in 0..<64 {
            let key = try Secp256k1.PrivateKey(bytes: (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) })
            let digest = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let sig = key.sign(digest: digest)
            idsSeen.insert(sig.recoveryID)
            let context = "seed \(seed)"
            #expect(sig.isLowS, "\(context)")
            #expect(try Secp256k1.recover(digest: digest, signature: sig) == key.publicKey, "\(context)")
            #expect(Secp256k1.verify(digest: digest, r: sig.r, s: sig.s, publicKey: key.publicKey), "\(context)")
            var otherDigest = digest
            otherDigest[0] ^= 1
            #expect(!Secp256k1.verify(digest: otherDigest, r: sig.r, s: sig.s, publicKey: key.publicKey), "\(context)")

            let flipped = try Secp256k1.RecoverableSignature(r: sig.r, s: sig.s, recoveryID: sig.recoveryID ^ 1)
            #expect((try? Secp256k1.recover(digest: digest, signature: flipped)) != key.publicKey, "\(context)")

            let highS = (-sig.sScalar).bytes
            let twin = try Secp256k1.RecoverableSignature(r: sig.r, s: highS, recoveryID: sig.recoveryID ^ 1)
            #expect(!twin.isLowS)
            #expect(throws: Secp256k1Error.highS) { try Secp256k1.recover(digest: digest, signature: twin) }
            #expect(try Secp256k1.recover(digest: digest, signature: twin, requireLowS: false) == key.publicKey, "\(context)")
            #expect(!Secp256k1.verify(digest: digest, r: sig.r, s: highS, publicKey: key.publicKey), "\(context)")
            #expect(Secp256k1.verify(digest: digest, r: sig.r, s: highS, publicKey: key.publicKey, requireLowS: false), "\(context)")
        }
        #expect(idsSeen == [0, 1], "seed \(seed)")
    }

    /// Recovery ids 2 and 3 (R.x = r + n) cannot come out of signing in
    /// practice (probability ~2^-128), so build one: the smallest r with
    /// r + n on the curve, any s and digest; the recovered key must verify
    /// the signature, and ids 0/1 must give different keys.
    @Test func recoveryIDsTwoAndThree() throws {
        let (r, _) = try ECDSATests.smallROverflowingN()
        let s = bytes(hex: "1f2e3d4c5b6a79880000000000000000000000000000000000000000000000aa")
        let digest = SHA256.hash(Array("recovery id 2".utf8))
        for id: UInt8 in [2, 3] {
            let sig = try Secp256k1.RecoverableSignature(r: r, s: s, recoveryID: id)
            let key = try Secp256k1.recover(digest: digest, signature: sig)
            #expect(Secp256k1.verify(digest: digest, r: r, s: s, publicKey: key))
            let low = try Secp256k1.RecoverableSignature(r: r, s: s, recoveryID: id & 1)
            #expect((try? Secp256k1.recover(digest: digest, signature: low)) != key)
        }
    }

    /// The smallest r ≥ 1 for which r + n is the abscissa of a curve point,
    /// as 32 bytes, with that point.
    static func smallROverflowingN() throws -> ([UInt8], AffinePoint) {
        for k in UInt64(1)... {
            var carry: UInt64 = 0
            let x = FieldElement(addCarry(k, Scalar.n0, &carry), addCarry(0, Scalar.n1, &carry),
                                 addCarry(0, Scalar.n2, &carry), addCarry(0, Scalar.n3, &carry))
            if let p = AffinePoint(x: x, odd: false) { return (Scalar(k, 0, 0, 0).bytes, p) }
        }
        fatalError("unreachable")
    }

    /// Recovery and signing from many threads at once (the lazily built
    /// tables are shared) give the same answers as on one thread.
    @Test func concurrentUse() throws {
        Secp256k1.precomputeTables()
        let keys = try (1...16).map { i in try Secp256k1.PrivateKey(bytes: SHA256.hash([UInt8(i)])) }
        let digests = (1...16).map { i in SHA256.hash([UInt8(i), 0xAA]) }
        let expected = zip(keys, digests).map { ($0.sign(digest: $1), $0.publicKey) }
        let mismatches = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 64) { i in
            let j = i % 16
            let signature = keys[j].sign(digest: digests[j])
            let recovered = try? Secp256k1.recover(digest: digests[j], signature: signature)
            if signature != expected[j].0 || recovered != expected[j].1 {
                mismatches.withLock { $0 += 1 }
            }
        }
        #expect(mismatches.withLock { $0 } == 0)
    }
}
