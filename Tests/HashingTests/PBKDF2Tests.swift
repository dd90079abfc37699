@testable import Hashing
import TestSupport
import Testing

@Suite struct PBKDF2Tests {
    /// The commonly published PBKDF2-HMAC-SHA512 vectors (the RFC 6070
    /// inputs with SHA-512 and a 64-byte key).
    @Test(arguments: [
        ("password", "salt", 1,
         "867f70cf1ade02cff3752599a3a53dc4af34c7a669815ae5d513554e1c8cf252c02d470a285a0501bad999bfe943c08f050235d7d68b1da55e63f73b60a57fce"),
        ("password", "salt", 2,
         "e1d9c16aa681708a45f5c7c4e215ceb66e011a2e9f0040713f18aefdb866d53cf76cab2868a39b9f7840edce4fef5a82be67335c77a6068e04112754f27ccf4e"),
        ("password", "salt", 4096,
         "d197b1b33db0143e018b12f3d1d1479e6cdebdcc97c5c0f87f6902e072f457b5143f30602641b3d55cd335988cb36b84376060ecd532e039b742a239434af2d5"),
        ("passwordPASSWORDpassword", "saltSALTsaltSALTsaltSALTsaltSALTsalt", 4096,
         "8c0511f4c6e597c6ac6315d8f0362e225f3c501495ba23b868c005174dc4ee71115b59f9e60cd9532fa33e0f75aefe30225c583a186cd82bd4daea9724a3d3b8"),
    ])
    func sha512Vectors(password: String, salt: String, iterations: Int, key: String) {
        let derived = PBKDF2.deriveKey(using: SHA512.self, password: Array(password.utf8), salt: Array(salt.utf8),
                                       iterations: iterations, keyLength: 64)
        #expect(hex(derived) == key)
        if iterations <= 2 {
            #expect(PBKDF2.generic(using: SHA512.self, password: Array(password.utf8), salt: Array(salt.utf8),
                                   iterations: iterations, keyLength: 64) == derived)
        }
    }

    /// RFC 7914 §11: PBKDF2-HMAC-SHA256 with a 64-byte key (two blocks),
    /// exercising the generic path and the block counter.
    @Test(arguments: [
        ("passwd", "salt", 1,
         "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"),
        ("Password", "NaCl", 80000,
         "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d"),
    ])
    func rfc7914SHA256Vectors(password: String, salt: String, iterations: Int, key: String) {
        #expect(hex(PBKDF2.deriveKey(using: SHA256.self, password: Array(password.utf8), salt: Array(salt.utf8),
                                     iterations: iterations, keyLength: 64)) == key)
    }

    /// Keys longer and shorter than one SHA-512 block: the fast path and the
    /// literal definition agree on every length (the block counter and the
    /// truncation of the last block).
    @Test func fastPathAgreesWithTheDefinition() {
        var rng = SeededGenerator(seed: 712)
        for keyLength in [1, 20, 63, 64, 65, 128, 130] {
            let password = (0..<Int.random(in: 0...200, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let salt = (0..<Int.random(in: 0...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let iterations = Int.random(in: 1...5, using: &rng)
            let fast = PBKDF2.sha512(password: password, salt: salt, iterations: iterations, keyLength: keyLength)
            let slow = PBKDF2.generic(using: SHA512.self, password: password, salt: salt, iterations: iterations, keyLength: keyLength)
            #expect(fast.count == keyLength)
            #expect(fast == slow, "key length \(keyLength), iterations \(iterations)")
        }
    }

    /// Random passwords, salts, iteration counts and key lengths against
    /// Python's `hashlib.pbkdf2_hmac` (SHA-512 and SHA-256), from a printed seed.
    @Test func randomAgainstPython() throws {
        guard let python = Executables.which("python3") else {
            print("PBKDF2Tests: python3 not found: skipping the hashlib cross-check")
            return
        }
        let seed = testSeed()
        var rng = SeededGenerator(seed: seed)
        struct Case { let hash: String; let password: [UInt8]; let salt: [UInt8]; let iterations: Int; let length: Int }
        let cases = (0..<60).map { i in
            Case(hash: i % 3 == 2 ? "sha256" : "sha512",
                 password: (0..<Int.random(in: 0...300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) },
                 salt: (0..<Int.random(in: 0...80, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) },
                 iterations: Int.random(in: 1...3000, using: &rng), length: Int.random(in: 1...150, using: &rng))
        }
        let script = """
        import sys, hashlib
        for line in sys.stdin.read().split('\\n'):
            if not line: continue
            h, p, s, c, n = line.split()
            print(hashlib.pbkdf2_hmac(h, bytes.fromhex(p[1:]), bytes.fromhex(s[1:]), int(c), int(n)).hex())
        """
        let input = cases.map { "\($0.hash) x\(hex($0.password)) x\(hex($0.salt)) \($0.iterations) \($0.length)" }
        let result = try Executables.run(python, ["-c", script], stdin: input.joined(separator: "\n") + "\n")
        let expected = result.stdout.split(separator: "\n").map(String.init)
        try #require(expected.count == cases.count, "python: \(result.stderr)")
        for (c, e) in zip(cases, expected) {
            let ours = c.hash == "sha512"
                ? PBKDF2.deriveKey(using: SHA512.self, password: c.password, salt: c.salt, iterations: c.iterations, keyLength: c.length)
                : PBKDF2.deriveKey(using: SHA256.self, password: c.password, salt: c.salt, iterations: c.iterations, keyLength: c.length)
            #expect(hex(ours) == e, "seed \(seed), \(c.hash), \(c.iterations) iterations, \(c.length) bytes")
        }
        print("PBKDF2Tests: \(cases.count) random derivations matched hashlib.pbkdf2_hmac (seed \(seed))")
    }
}
