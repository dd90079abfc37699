import Ethereum
import Primitives
import XCTest

/// BIP-39: the Trezor reference vectors (passphrase "TREZOR") and the
/// errors a mistyped phrase gets.
final class MnemonicTests: XCTestCase {
    /// (entropy, mnemonic, seed with passphrase "TREZOR"), from the BIP-39
    /// reference implementation's vectors.json (python-mnemonic).
    static let trezorVectors = [
        ("00000000000000000000000000000000",
         "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
         "c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04"),
        ("7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f",
         "legal winner thank year wave sausage worth useful legal winner thank yellow",
         "2e8905819b8723fe2c1d161860e5ee1830318dbf49a83bd451cfb8440c28bd6fa457fe1296106559a3c80937a1c1069be3a3a5bd381ee6260e8d9739fce1f607"),
        ("80808080808080808080808080808080",
         "letter advice cage absurd amount doctor acoustic avoid letter advice cage above",
         "d71de856f81a8acc65e6fc851a38d4d7ec216fd0796d0a6827a3ad6ed5511a30fa280f12eb2e47ed2ac03b5c462a0358d18d69fe4f985ec81778c1b370b652a8"),
        ("ffffffffffffffffffffffffffffffff",
         "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong",
         "ac27495480225222079d7be181583751e86f571027b0497b5b5d11218e0a8a13332572917f0f8e5a589620c6f15b11c61dee327651a14c34e18231052e48c069"),
        ("6610b25967cdcca9d59875f5cb50b0ea75433311869e930b",
         "gravity machine north sort system female filter attitude volume fold club stay feature office ecology stable narrow fog",
         "628c3827a8823298ee685db84f55caa34b5cc195a778e52d45f59bcf75aba68e4d7590e101dc414bc1bbd5737666fbbef35d1f1903953b66624f910feef245ac"),
        ("9e885d952ad362caeb4efe34a8e91bd2",
         "ozone drill grab fiber curtain grace pudding thank cruise elder eight picnic",
         "274ddc525802f7c828d8ef7ddbcdc5304e87ac3535913611fbbfa986d0c9e5476c91689f9c8a54fd55bd38606aa6a8595ad213d4c9c9f9aca3fb217069a41028"),
        ("0000000000000000000000000000000000000000000000000000000000000000",
         "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art",
         "bda85446c68413707090a52022edd26a1c9462295029f2e60cd7c4f2bbd3097170af7a4d73245cafa9c3cca8d561a7c3de6f5d4a10be8ed2a5e608d68f92fcc8"),
        ("f585c11aec520db57dd353c69554b21a89b20fb0650966fa0a9d6f74fd989d8f",
         "void come effort suffer camp survey warrior heavy shoot primary clutch crush open amazing screen patrol group space point ten exist slush involve unfold",
         "01f5bced59dec48e362f2c45b5de68b9fd6c92c6634f44d6d40aab69056506f0e35524a518034ddc1192e1dacd32c1ed3eaa3c3b131c88ed8e7e54c49a5d0998"),
    ]

    func testTrezorVectors() throws {
        for (entropy, phrase, seed) in Self.trezorVectors {
            let fromEntropy = try Mnemonic(entropy: bytes(hex: entropy))
            XCTAssertEqual(fromEntropy.phrase, phrase, "entropy \(entropy)")
            let parsed = try Mnemonic(phrase)
            XCTAssertEqual(hex(parsed.entropy), entropy, phrase)
            XCTAssertEqual(hex(parsed.seed(passphrase: "TREZOR")), seed, phrase)
        }
    }

    /// The first vector's master key, as the vectors give it (BIP-32 on top of BIP-39).
    func testTrezorVectorMasterKey() throws {
        let seed = try Mnemonic(Self.trezorVectors[0].1).seed(passphrase: "TREZOR")
        XCTAssertEqual(try ExtendedPrivateKey(seed: seed).serialized,
                       "xprv9s21ZrQH143K3h3fDYiay8mocZ3afhfULfb5GX8kCBdno77K4HiA15Tg23wpbeF1pLfs1c5SPmYHrEpTuuRhxMwvKDwqdKiGJS9XFKzUsAF")
    }

    /// Whitespace and case do not matter; the seed is computed from the
    /// normalized phrase.
    func testWhitespaceAndCaseAreNormalized() throws {
        let messy = try Mnemonic("  Legal winner\tthank year WAVE sausage worth useful legal winner thank  yellow\n")
        XCTAssertEqual(messy.phrase, Self.trezorVectors[1].1)
        XCTAssertEqual(hex(messy.seed(passphrase: "TREZOR")), Self.trezorVectors[1].2)
    }

    /// A passphrase in composed and decomposed Unicode gives one seed (NFKD).
    func testPassphraseIsNormalized() throws {
        let m = try Mnemonic(Self.trezorVectors[0].1)
        XCTAssertEqual(m.seed(passphrase: "caf\u{E9}"), m.seed(passphrase: "cafe\u{301}"))
        XCTAssertNotEqual(m.seed(passphrase: "cafe"), m.seed(passphrase: "caf\u{E9}"))
        XCTAssertNotEqual(m.seed(), m.seed(passphrase: "TREZOR"))
    }

    func testErrors() {
        func error(_ phrase: String) -> MnemonicError? {
            do { _ = try Mnemonic(phrase); return nil } catch { return error }
        }
        XCTAssertEqual(error(""), .wordCount(0))
        XCTAssertEqual(error("abandon abandon abandon"), .wordCount(3))
        XCTAssertEqual(error(Array(repeating: "abandon", count: 13).joined(separator: " ")), .wordCount(13))
        XCTAssertEqual(error("test test test test test test test test test test test junkk"), .unknownWord("junkk", position: 12))
        XCTAssertEqual(error("tset test test test test test test test test test test junk"), .unknownWord("tset", position: 1))
        XCTAssertEqual(error("test test test test test test test test test test test test"), .checksumMismatch)
        XCTAssertEqual(error("junk test test test test test test test test test test test"), .checksumMismatch)
        XCTAssertEqual(error("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon"),
                       .checksumMismatch)
        XCTAssertThrowsError(try Mnemonic(entropy: [UInt8](repeating: 0, count: 15))) {
            XCTAssertEqual($0 as? MnemonicError, .entropyLength(15))
        }
        XCTAssertThrowsError(try Mnemonic.random(wordCount: 11)) { XCTAssertEqual($0 as? MnemonicError, .wordCount(11)) }
        XCTAssertTrue(MnemonicError.unknownWord("junkk", position: 12).description.contains("word 12 ('junkk')"))
    }

    /// Every word count round-trips through entropy, and a random phrase
    /// changed in one word fails (the checksum, or rarely the word itself, catches it
    /// unless the change happens to keep the checksum).
    func testRandomRoundTripsAndSingleWordChanges() throws {
        var caught = 0, changes = 0
        for count in Mnemonic.wordCounts {
            for _ in 0..<20 {
                let m = try Mnemonic.random(wordCount: count)
                XCTAssertEqual(m.words.count, count)
                XCTAssertEqual(try Mnemonic(m.phrase), m)
                XCTAssertEqual(try Mnemonic(entropy: m.entropy), m)
                var words = m.words
                let i = Int.random(in: 0..<count)
                words[i] = words[i] == "zoo" ? "abandon" : "zoo"
                changes += 1
                if (try? Mnemonic(words.joined(separator: " "))) == nil { caught += 1 }
            }
        }
        // A 4- to 8-bit checksum misses a random change with probability 1/16 to 1/256.
        XCTAssertGreaterThan(caught, changes * 3 / 4, "\(caught) of \(changes) single-word changes caught")
    }
}
