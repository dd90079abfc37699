import Ethereum
import Foundation
import Primitives
import XCTest

/// `TransactionValidation`, `TransactionTemplate` and `TransactionDescription`.
final class TransactionToolsTests: XCTestCase {
    static let recipient = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"

    func testTemplateDefaults() throws {
        let tx = try TransactionTemplate(options: ["chain-id": "31337", "nonce": "4", "to": Self.recipient,
                                                   "value": "1000"]).transaction()
        XCTAssertEqual(tx.type, .dynamicFee)
        XCTAssertEqual(tx.chainID, 31337)
        XCTAssertEqual(tx.nonce, 4)
        XCTAssertEqual(tx.to?.checksummed, Self.recipient)
        XCTAssertEqual(tx.value, 1000)
        XCTAssertEqual(tx.gasLimit, 21_000)
        XCTAssertEqual(tx.maxFeePerGas, 2_000_000_000)
        XCTAssertEqual(tx.maxPriorityFeePerGas, 1_000_000_000)

        let legacy = try TransactionTemplate(options: ["chain-id": "1", "nonce": "0", "to": Self.recipient,
                                                       "type": "0", "data": "0x0001"]).transaction()
        XCTAssertEqual(legacy.type, .legacy)
        XCTAssertEqual(legacy.gasPrice, 1_000_000_000)
        XCTAssertEqual(legacy.maxPriorityFeePerGas, legacy.maxFeePerGas)
        XCTAssertEqual(legacy.gasLimit, 21_000 + 4 + 16)
        XCTAssertEqual(legacy.value, 0)
    }

    func testTemplateOptions() throws {
        let tx = try TransactionTemplate(options: [
            "chain-id": "0x7a69", "nonce": "7", "to": Self.recipient.lowercased(), "value": "1ether", "gas": "50000",
            "max-fee": "3gwei", "priority-fee": "0x5", "key": "ignored", "help": "false",
        ]).transaction()
        XCTAssertEqual(tx.chainID, 31337)
        XCTAssertEqual(tx.value, uint256("1000000000000000000"))
        XCTAssertEqual(tx.gasLimit, 50_000)
        XCTAssertEqual(tx.maxFeePerGas, 3_000_000_000)
        XCTAssertEqual(tx.maxPriorityFeePerGas, 5)
        let cheap = try TransactionTemplate(options: ["chain-id": "1", "nonce": "0", "to": Self.recipient, "max-fee": "7"]).transaction()
        XCTAssertEqual(cheap.maxPriorityFeePerGas, 7, "the default tip is capped at the max fee")
        let accessList = try TransactionTemplate(options: ["chain-id": "1", "nonce": "0", "to": Self.recipient, "type": "1",
                                                           "gas-price": "9"]).transaction()
        XCTAssertEqual(accessList.type, .accessList)
        XCTAssertEqual(accessList.gasPrice, 9)
    }

    func testTemplateErrors() {
        let base = ["chain-id": "1", "nonce": "0", "to": Self.recipient]
        func error(_ changes: [String: String?]) -> TransactionTemplateError? {
            var options = base
            for (k, v) in changes { options[k] = v }
            do {
                _ = try TransactionTemplate(options: options).transaction()
                return nil
            } catch {
                return error
            }
        }
        XCTAssertEqual(error(["to": nil]), .missingOption("to"))
        XCTAssertEqual(error(["chain-id": nil]), .missingOption("chain-id"))
        XCTAssertEqual(error(["nonce": "-1"]), .invalidValue(option: "nonce", value: "-1"))
        XCTAssertEqual(error(["type": "3"]), .invalidValue(option: "type", value: "3"))
        XCTAssertEqual(error(["to": "0x70997970c51812dc3A010C7d01b50e0d17dc79C8"]),
                       .invalidValue(option: "to", value: "0x70997970c51812dc3A010C7d01b50e0d17dc79C8"))
        XCTAssertEqual(error(["data": "0x1"]), .invalidValue(option: "data", value: "0x1"))
        XCTAssertEqual(error(["gas-price": "1"]), .optionNotForType(option: "gas-price", type: .dynamicFee))
        XCTAssertEqual(error(["type": "0", "max-fee": "1"]), .optionNotForType(option: "max-fee", type: .legacy))
        XCTAssertEqual(error(["max-fee": "1", "priority-fee": "2"]), .priorityFeeAboveMaxFee)
        XCTAssertEqual(error(["gas": "20999"]), .gasBelowIntrinsic(gas: 20_999, intrinsic: 21_000))
        XCTAssertEqual(error(["max-fee": "0x" + String(repeating: "f", count: 64), "priority-fee": "0"]), .gasCostOverflow)
        XCTAssertThrowsError(try TransactionTemplate.sign(options: base)) {
            XCTAssertEqual($0 as? TransactionTemplateError, .missingOption("key"))
        }
        XCTAssertThrowsError(try TransactionTemplate.privateKey(hex: "0x" + String(repeating: "0", count: 64)))
        XCTAssertThrowsError(try TransactionTemplate.privateKey(hex: "0x1234"))
    }

    func testSignFromOptionsIsAdmittedAndDescribed() throws {
        var options = ["chain-id": "31337", "nonce": "0", "to": Self.recipient, "value": "5", "data": "0xabcd"]
        options["key"] = DevAccounts.privateKeys[0]
        let signed = try TransactionTemplate.sign(options: options)
        let rules = TransactionValidation(chainID: 31337)
        let (tx, sender) = try rules.admit(signed.raw)
        XCTAssertEqual(tx, signed)
        XCTAssertEqual(sender, DevAccounts.addresses[0])

        let json = TransactionDescription.json(for: tx, sender: sender)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertEqual(object["hash"] as? String, tx.hash.description)
        XCTAssertEqual(object["from"] as? String, "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266")
        XCTAssertEqual(object["type"] as? String, "0x2")
        XCTAssertEqual(object["chainId"] as? String, "0x7a69")
        XCTAssertEqual(object["nonce"] as? String, "0x0")
        XCTAssertEqual(object["to"] as? String, Self.recipient.lowercased())
        XCTAssertEqual(object["value"] as? String, "0x5")
        XCTAssertEqual(object["gas"] as? String, UInt256(tx.transaction.gasLimit).hexQuantity)
        XCTAssertEqual(object["maxFeePerGas"] as? String, "0x77359400")
        XCTAssertEqual(object["maxPriorityFeePerGas"] as? String, "0x3b9aca00")
        XCTAssertNil(object["gasPrice"])
        XCTAssertEqual(object["data"] as? String, "0xabcd")
        XCTAssertEqual((object["accessList"] as? [Any])?.count, 0)
        XCTAssertEqual(object["yParity"] as? String, object["v"] as? String)
        XCTAssertEqual(TransactionDescription.json(decoding: signed.raw), json)
        XCTAssertEqual(TransactionDescription.json(decodingHex: " " + Hex.encode(signed.raw) + "\n", validation: rules), json)
        XCTAssertTrue(TransactionDescription.json(for: tx, sender: sender, pretty: true).contains("\n  \"from\": \"0xf39f"))
    }

    func testDescriptionOfLegacyCreationAndErrors() throws {
        let legacy = Transaction.legacy(chainID: nil, nonce: 1, gasPrice: 10, gasLimit: 60_000, to: nil, data: [0x60])
            .signed(with: DevAccounts.keys[2])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(
            TransactionDescription.json(for: legacy, sender: DevAccounts.addresses[2]).utf8)) as? [String: Any])
        XCTAssertEqual(object["type"] as? String, "0x0")
        XCTAssertNil(object["chainId"])
        XCTAssert(object["to"] is NSNull)
        XCTAssertEqual(object["gasPrice"] as? String, "0xa")
        XCTAssertNil(object["accessList"])
        XCTAssertNil(object["yParity"])

        let error = TransactionDescription.json(decoding: [0x03, 0xc0])
        XCTAssertEqual(error, "{\"error\":\"transaction type not supported\",\"input\":\"0x03c0\"}")
        let long = TransactionDescription.json(error: "say \"no\"\n", input: [UInt8](repeating: 0xab, count: 100))
        let parsed = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(long.utf8)) as? [String: Any])
        XCTAssertEqual(parsed["error"] as? String, "say \"no\"\n")
        XCTAssertEqual(parsed["inputLength"] as? Int, 100)
        XCTAssertTrue((parsed["input"] as? String ?? "").hasSuffix("…"))
        XCTAssertEqual(TransactionDescription.json(decodingHex: "0xzz"), "{\"error\":\"invalid hex string\",\"input\":\"0xzz\"}")
    }

    func testValidationRules() throws {
        let rules = TransactionValidation(chainID: 31337)
        let key = DevAccounts.keys[3]
        func rejection(_ tx: Transaction) -> TransactionRejection? {
            do {
                _ = try rules.admit(tx.signed(with: key).raw)
                return nil
            } catch {
                return error
            }
        }
        let good = Transaction(type: .dynamicFee, chainID: 31337, nonce: 0, maxPriorityFeePerGas: 1, maxFeePerGas: 2,
                               gasLimit: 21_000, to: .zero)
        XCTAssertNil(rejection(good))
        var tx = good
        tx.chainID = 1
        XCTAssertEqual(rejection(tx), .invalid(.wrongChainID(expected: 31337, got: 1)))
        tx = good
        tx.gasLimit = 20_999
        XCTAssertEqual(rejection(tx), .invalid(.intrinsicGasTooLow(gas: 20_999, intrinsic: 21_000)))
        tx = good
        tx.to = nil
        tx.gasLimit = 100_000
        XCTAssertEqual(rejection(tx), .invalid(.contractCreationNotSupported))
        XCTAssertEqual(rejection(.legacy(chainID: nil, nonce: 0, gasPrice: 1, gasLimit: 21_000, to: .zero)), .invalid(.unprotected))
        XCTAssertNil(rejection(.legacy(chainID: 31337, nonce: 0, gasPrice: 1, gasLimit: 21_000, to: .zero)))
        tx = good
        tx.data = [UInt8](repeating: 1, count: 130 * 1024)
        tx.gasLimit = 30_000_000
        XCTAssertEqual(rejection(tx), .invalid(.oversized(size: tx.signed(with: key).raw.count, limit: 128 * 1024)))
        XCTAssertEqual(try? rules.admit([0x04, 0xc0]).sender, nil)
        XCTAssertEqual(TransactionRejection.invalid(.contractCreationNotSupported).message, "contract creation is not supported")

        let creation = TransactionValidation(chainID: 1, allowContractCreation: true)
        var initCode = good
        initCode.chainID = 1
        initCode.to = nil
        initCode.data = [UInt8](repeating: 0, count: 49_153)
        initCode.gasLimit = 10_000_000
        XCTAssertThrowsError(try creation.validate(initCode)) {
            XCTAssertEqual($0 as? TransactionValidationError, .initCodeTooLarge(size: 49_153, limit: 49_152))
        }
        initCode.data.removeLast()
        XCTAssertNoThrow(try creation.validate(initCode))
        var inconsistent = Transaction.legacy(chainID: 1, nonce: 0, gasPrice: 5, gasLimit: 21_000, to: .zero)
        inconsistent.maxPriorityFeePerGas = 4
        XCTAssertThrowsError(try creation.validate(inconsistent)) {
            XCTAssertEqual($0 as? TransactionValidationError, .inconsistentGasPrice)
        }
    }
}
