import Ethereum
import Primitives
import Secp256k1
import XCTest

/// BIP-32: the specification's test vectors 1 and 2 (xprv and xpub at every
/// step), derivation paths, and the dev accounts.
final class HDKeyTests: XCTestCase {
    /// (path, xprv, xpub) for test vector 1 (seed 000102…0f).
    static let vector1 = [
        ("m", "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi",
         "xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8"),
        ("m/0H", "xprv9uHRZZhk6KAJC1avXpDAp4MDc3sQKNxDiPvvkX8Br5ngLNv1TxvUxt4cV1rGL5hj6KCesnDYUhd7oWgT11eZG7XnxHrnYeSvkzY7d2bhkJ7",
         "xpub68Gmy5EdvgibQVfPdqkBBCHxA5htiqg55crXYuXoQRKfDBFA1WEjWgP6LHhwBZeNK1VTsfTFUHCdrfp1bgwQ9xv5ski8PX9rL2dZXvgGDnw"),
        ("m/0H/1", "xprv9wTYmMFdV23N2TdNG573QoEsfRrWKQgWeibmLntzniatZvR9BmLnvSxqu53Kw1UmYPxLgboyZQaXwTCg8MSY3H2EU4pWcQDnRnrVA1xe8fs",
         "xpub6ASuArnXKPbfEwhqN6e3mwBcDTgzisQN1wXN9BJcM47sSikHjJf3UFHKkNAWbWMiGj7Wf5uMash7SyYq527Hqck2AxYysAA7xmALppuCkwQ"),
        ("m/0H/1/2H", "xprv9z4pot5VBttmtdRTWfWQmoH1taj2axGVzFqSb8C9xaxKymcFzXBDptWmT7FwuEzG3ryjH4ktypQSAewRiNMjANTtpgP4mLTj34bhnZX7UiM",
         "xpub6D4BDPcP2GT577Vvch3R8wDkScZWzQzMMUm3PWbmWvVJrZwQY4VUNgqFJPMM3No2dFDFGTsxxpG5uJh7n7epu4trkrX7x7DogT5Uv6fcLW5"),
        ("m/0H/1/2H/2", "xprvA2JDeKCSNNZky6uBCviVfJSKyQ1mDYahRjijr5idH2WwLsEd4Hsb2Tyh8RfQMuPh7f7RtyzTtdrbdqqsunu5Mm3wDvUAKRHSC34sJ7in334",
         "xpub6FHa3pjLCk84BayeJxFW2SP4XRrFd1JYnxeLeU8EqN3vDfZmbqBqaGJAyiLjTAwm6ZLRQUMv1ZACTj37sR62cfN7fe5JnJ7dh8zL4fiyLHV"),
        ("m/0H/1/2H/2/1000000000",
         "xprvA41z7zogVVwxVSgdKUHDy1SKmdb533PjDz7J6N6mV6uS3ze1ai8FHa8kmHScGpWmj4WggLyQjgPie1rFSruoUihUZREPSL39UNdE3BBDu76",
         "xpub6H1LXWLaKsWFhvm6RVpEL9P4KfRZSW7abD2ttkWP3SSQvnyA8FSVqNTEcYFgJS2UaFcxupHiYkro49S8yGasTvXEYBVPamhGW6cFJodrTHy"),
    ]

    /// (path, xprv, xpub) for test vector 2 (seed fffcf9…4542).
    static let vector2 = [
        ("m", "xprv9s21ZrQH143K31xYSDQpPDxsXRTUcvj2iNHm5NUtrGiGG5e2DtALGdso3pGz6ssrdK4PFmM8NSpSBHNqPqm55Qn3LqFtT2emdEXVYsCzC2U",
         "xpub661MyMwAqRbcFW31YEwpkMuc5THy2PSt5bDMsktWQcFF8syAmRUapSCGu8ED9W6oDMSgv6Zz8idoc4a6mr8BDzTJY47LJhkJ8UB7WEGuduB"),
        ("m/0", "xprv9vHkqa6EV4sPZHYqZznhT2NPtPCjKuDKGY38FBWLvgaDx45zo9WQRUT3dKYnjwih2yJD9mkrocEZXo1ex8G81dwSM1fwqWpWkeS3v86pgKt",
         "xpub69H7F5d8KSRgmmdJg2KhpAK8SR3DjMwAdkxj3ZuxV27CprR9LgpeyGmXUbC6wb7ERfvrnKZjXoUmmDznezpbZb7ap6r1D3tgFxHmwMkQTPH"),
        ("m/0/2147483647H", "xprv9wSp6B7kry3Vj9m1zSnLvN3xH8RdsPP1Mh7fAaR7aRLcQMKTR2vidYEeEg2mUCTAwCd6vnxVrcjfy2kRgVsFawNzmjuHc2YmYRmagcEPdU9",
         "xpub6ASAVgeehLbnwdqV6UKMHVzgqAG8Gr6riv3Fxxpj8ksbH9ebxaEyBLZ85ySDhKiLDBrQSARLq1uNRts8RuJiHjaDMBU4Zn9h8LZNnBC5y4a"),
        ("m/0/2147483647H/1", "xprv9zFnWC6h2cLgpmSA46vutJzBcfJ8yaJGg8cX1e5StJh45BBciYTRXSd25UEPVuesF9yog62tGAQtHjXajPPdbRCHuWS6T8XA2ECKADdw4Ef",
         "xpub6DF8uhdarytz3FWdA8TvFSvvAh8dP3283MY7p2V4SeE2wyWmG5mg5EwVvmdMVCQcoNJxGoWaU9DCWh89LojfZ537wTfunKau47EL2dhHKon"),
        ("m/0/2147483647H/1/2147483646H",
         "xprvA1RpRA33e1JQ7ifknakTFpgNXPmW2YvmhqLQYMmrj4xJXXWYpDPS3xz7iAxn8L39njGVyuoseXzU6rcxFLJ8HFsTjSyQbLYnMpCqE2VbFWc",
         "xpub6ERApfZwUNrhLCkDtcHTcxd75RbzS1ed54G1LkBUHQVHQKqhMkhgbmJbZRkrgZw4koxb5JaHWkY4ALHY2grBGRjaDMzQLcgJvLJuZZvRcEL"),
        ("m/0/2147483647H/1/2147483646H/2",
         "xprvA2nrNbFZABcdryreWet9Ea4LvTJcGsqrMzxHx98MMrotbir7yrKCEXw7nadnHM8Dq38EGfSh6dqA9QWTyefMLEcBYJUuekgW4BYPJcr9E7j",
         "xpub6FnCn6nSzZAw5Tw7cgR9bi15UV96gLZhjDstkXXxvCLsUXBGXPdSnLFbdpq8p9HmGsApME5hQTZ3emM2rnY5agb9rXpVGyy3bdW6EEgAtqt"),
    ]

    func testVector1() throws {
        try check(seed: "000102030405060708090a0b0c0d0e0f", Self.vector1)
    }

    func testVector2() throws {
        try check(seed: "fffcf9f6f3f0edeae7e4e1dedbd8d5d2cfccc9c6c3c0bdbab7b4b1aeaba8a5a29f9c999693908d8a8784817e7b7875726f6c696663605d5a5754514e4b484542",
                  Self.vector2)
    }

    /// Each step from the master (by path) and step by step from its parent
    /// (by `child`) gives the published keys.
    private func check(seed: String, _ vector: [(String, String, String)]) throws {
        let master = try ExtendedPrivateKey(seed: bytes(hex: seed))
        var stepwise = master
        for (i, (path, xprv, xpub)) in vector.enumerated() {
            let parsed = try DerivationPath(path)
            let key = try master.derive(parsed)
            XCTAssertEqual(key.serialized, xprv, path)
            XCTAssertEqual(key.serializedPublic, xpub, path)
            XCTAssertEqual(Int(key.depth), parsed.indices.count, path)
            if i > 0 { stepwise = try stepwise.child(parsed.indices.last!) }
            XCTAssertEqual(stepwise, key, path)
        }
    }

    /// `children` (one public key for all) equals `child` one by one, for
    /// normal and hardened indices.
    func testChildrenEqualsChild() throws {
        let master = try ExtendedPrivateKey(seed: bytes(hex: "000102030405060708090a0b0c0d0e0f"))
        let indices: [UInt32] = [0, 1, 7, DerivationPath.hardenedOffset, DerivationPath.hardenedOffset + 5, 1_000_000]
        XCTAssertEqual(try master.children(indices), try indices.map { try master.child($0) })
    }

    func testDerivationPaths() throws {
        XCTAssertEqual(try DerivationPath("m/44'/60'/0'/0/3"), DerivationPath.ethereum(index: 3))
        XCTAssertEqual(try DerivationPath("m/44h/60H/0'/0/3").description, "m/44'/60'/0'/0/3")
        XCTAssertEqual(try DerivationPath("m").indices, [])
        XCTAssertEqual(try DerivationPath("m/2147483647'").indices, [UInt32.max])
        XCTAssertEqual(DerivationPath.ethereumAccountParent.description, "m/44'/60'/0'/0")
        func error(_ text: String) -> DerivationPathError? {
            do { _ = try DerivationPath(text); return nil } catch { return error }
        }
        XCTAssertEqual(error(""), .missingRoot(""))
        XCTAssertEqual(error("44'/60'/0'/0/0"), .missingRoot("44'/60'/0'/0/0"))
        XCTAssertEqual(error("m/"), .invalidComponent("", position: 1))
        XCTAssertEqual(error("m//0"), .invalidComponent("", position: 1))
        XCTAssertEqual(error("m/44'/60'/0'/0/"), .invalidComponent("", position: 5))
        XCTAssertEqual(error("m/44'/x/0"), .invalidComponent("x", position: 2))
        XCTAssertEqual(error("m/-1"), .invalidComponent("-1", position: 1))
        XCTAssertEqual(error("m/1''"), .invalidComponent("1''", position: 1))
        XCTAssertEqual(error("m/'"), .invalidComponent("'", position: 1))
        XCTAssertEqual(error("m/ 1"), .invalidComponent(" 1", position: 1))
        XCTAssertEqual(error("m/2147483648"), .indexTooLarge("2147483648", position: 1))
        XCTAssertEqual(error("m/99999999999999999999'"), .indexTooLarge("99999999999999999999'", position: 1))
        XCTAssertEqual(error("m" + String(repeating: "/0", count: 256)), .tooDeep(256))
        XCTAssertTrue(DerivationPathError.indexTooLarge("2147483648", position: 1).description.contains("component 1"))
    }

    func testSeedLengthIsChecked() {
        XCTAssertThrowsError(try ExtendedPrivateKey(seed: [UInt8](repeating: 1, count: 15))) {
            XCTAssertEqual($0 as? HDKeyError, .seedLength(15))
        }
        XCTAssertThrowsError(try ExtendedPrivateKey(seed: [UInt8](repeating: 1, count: 65))) {
            XCTAssertEqual($0 as? HDKeyError, .seedLength(65))
        }
        XCTAssertNoThrow(try ExtendedPrivateKey(seed: [UInt8](repeating: 1, count: 16)))
        XCTAssertNoThrow(try ExtendedPrivateKey(seed: [UInt8](repeating: 1, count: 64)))
    }

    /// The default mnemonic, derived, reproduces the ten well-known
    /// addresses, through `DevAccounts` and through an explicit path.
    func testDefaultMnemonicGivesTheWellKnownAccounts() throws {
        let mnemonic = try Mnemonic(DevAccounts.defaultMnemonic)
        let keys = try DevAccounts.keys(of: mnemonic, count: 10)
        XCTAssertEqual(keys.map { Address(publicKey: $0.publicKey).checksummed }, AddressTests.devAddresses)
        let master = try ExtendedPrivateKey(seed: mnemonic.seed())
        for i in [0, 9] {
            XCTAssertEqual(try master.derive(DerivationPath("m/44'/60'/0'/0/\(i)")).address.checksummed, AddressTests.devAddresses[i])
        }
        XCTAssertEqual(try DevAccounts.keys(of: mnemonic, count: 3), Array(keys.prefix(3)))
        XCTAssertEqual(try DevAccounts.keys(of: mnemonic, count: 0), [])
        let more = try DevAccounts.keys(of: mnemonic, count: 12)
        XCTAssertEqual(Array(more.prefix(10)), keys)
        XCTAssertEqual(Set(more).count, 12)
        XCTAssertNotEqual(try DevAccounts.keys(of: mnemonic, count: 1, passphrase: "x"), [keys[0]])
    }

    func testKeysStayRedacted() throws {
        let key = try ExtendedPrivateKey(seed: bytes(hex: "000102030405060708090a0b0c0d0e0f"))
        XCTAssertFalse(String(describing: key).contains(hex(key.key.bytes)))
        XCTAssertFalse(String(describing: key).contains("xprv"))
    }
}
