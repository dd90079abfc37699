import Hashing
import TestSupport
import Testing

/// HMAC over SHA-512, whose 128-byte block doubles the padded key length.
@Suite struct HMACSHA512Tests {
    /// RFC 4231 test cases 1–7 for HMAC-SHA-512 (case 5 compares the
    /// truncated 128-bit tag, as the RFC does; cases 6 and 7 use a 131-byte
    /// key, longer than the block, which must be hashed first).
    @Test(arguments: [
        ([UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8),
         "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"),
        (Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
         "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"),
        ([UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
         "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb"),
        (Array(1...25), [UInt8](repeating: 0xcd, count: 50),
         "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3dba91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd"),
        ([UInt8](repeating: 0x0c, count: 20), Array("Test With Truncation".utf8),
         "415fad6271580a531d4179bc891d87a6"),
        ([UInt8](repeating: 0xaa, count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
         "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"),
        ([UInt8](repeating: 0xaa, count: 131),
         Array("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".utf8),
         "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58"),
    ])
    func rfc4231(key: [UInt8], message: [UInt8], tag: String) {
        let full = HMAC<SHA512>.authenticate(key: key, message: message)
        #expect(full.count == 64)
        #expect(hex(full.prefix(tag.count / 2)) == tag)
        var streaming = HMAC<SHA512>(key: key)
        for chunk in stride(from: 0, to: message.count, by: 13) {
            streaming.update(bytes: message[chunk..<min(chunk + 13, message.count)])
        }
        #expect(streaming.finalize() == full)
    }

    /// A key of exactly 128 bytes is used as is; one byte more is hashed.
    /// (A 64-byte block, SHA-256's, would be the wrong boundary here.)
    @Test func keyLengthBoundaryIsTheSHA512Block() {
        let message = Array("boundary".utf8)
        let block = [UInt8](repeating: 0x42, count: SHA512.blockSize)
        #expect(SHA512.blockSize == 128)
        #expect(HMAC<SHA512>.authenticate(key: block, message: message)
            != HMAC<SHA512>.authenticate(key: SHA512.hash(block), message: message))
        #expect(HMAC<SHA512>.authenticate(key: block + [0x42], message: message)
            == HMAC<SHA512>.authenticate(key: SHA512.hash(block + [0x42]), message: message))
        let medium = [UInt8](repeating: 0x42, count: 100)
        #expect(HMAC<SHA512>.authenticate(key: medium, message: message)
            != HMAC<SHA512>.authenticate(key: SHA512.hash(medium), message: message))
    }
}
