import Ethereum
import Primitives
import Secp256k1
import XCTest

/// Address derivation, EIP-55 checksums and the dev accounts.
final class AddressTests: XCTestCase {
    static let devAddresses = [
        "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
        "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
        "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65", "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
        "0x976EA74026E726554dB657fA54763abd0C3a0aa9", "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955",
        "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f", "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720",
    ]

    func testDevAccountsDeriveTheirWellKnownAddresses() throws {
        XCTAssertEqual(DevAccounts.privateKeys.count, 10)
        XCTAssertEqual(DevAccounts.privateKeys[0], "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80")
        for (i, keyHex) in DevAccounts.privateKeys.enumerated() {
            let key = try Secp256k1.PrivateKey(bytes: bytes(hex: keyHex))
            XCTAssertEqual(Address(publicKey: key.publicKey).checksummed, Self.devAddresses[i], "dev account \(i)")
            XCTAssertEqual(DevAccounts.addresses[i].checksummed, Self.devAddresses[i], "DevAccounts.addresses[\(i)]")
            XCTAssertEqual(DevAccounts.keys[i], key)
        }
    }

    /// The examples of EIP-55 itself: mixed case, all caps, all lower.
    func testEIP55Examples() {
        let examples = [
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
            "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
            "0x52908400098527886E0F7030069857D2E4169EE7", "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
            "0xde709f2102306220921060314715629080e2fb77", "0x27b1fdb04752bbc536007a920d24acb045561c26",
        ] + Self.devAddresses
        for text in examples {
            guard let address = Address(hex: text) else { return XCTFail("unparsable \(text)") }
            XCTAssertEqual(address.checksummed, text)
            XCTAssertEqual(Address(checksummed: text), address, text)
            XCTAssertEqual(Address(checksummed: text.lowercased()), address, "all lower \(text)")
            XCTAssertEqual(Address(checksummed: "0x" + text.dropFirst(2).uppercased()), address, "all upper \(text)")
            XCTAssertEqual(Address(checksummed: String(text.dropFirst(2))), address, "no prefix \(text)")
        }
    }

    func testMixedCaseWithAWrongChecksumIsRejected() {
        let good = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
        var flipped = Array(good)
        for (i, c) in flipped.enumerated().dropFirst(2) where c.isLetter {
            flipped[i] = c.isUppercase ? Character(c.lowercased()) : Character(c.uppercased())
            XCTAssertNil(Address(checksummed: String(flipped)), "case flipped at \(i)")
            flipped[i] = c
        }
        XCTAssertNil(Address(checksummed: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe"))
        XCTAssertNil(Address(checksummed: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAedd"))
        XCTAssertNil(Address(checksummed: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg"))
    }

    func testPersonalMessageHashAndSignature() throws {
        XCTAssertEqual(PersonalMessage.hash(Array("hello".utf8)).description,
                       "0x50b2c43fd39106bafbba0da34fc430e1f91e3c96ea2acee2bc34119f92b37750")
        let message = Array("sequencer pre-confirmation".utf8)
        let signature = PersonalMessage.sign(message, with: DevAccounts.keys[1])
        XCTAssertEqual(signature.count, 65)
        XCTAssert(signature[64] == 27 || signature[64] == 28)
        XCTAssertEqual(PersonalMessage.recoverSigner(of: message, signature: signature), DevAccounts.addresses[1])
        XCTAssertNotEqual(PersonalMessage.recoverSigner(of: message + [0], signature: signature), DevAccounts.addresses[1])
        XCTAssertNil(PersonalMessage.recoverSigner(of: message, signature: Array(signature.dropLast())))
    }
}
