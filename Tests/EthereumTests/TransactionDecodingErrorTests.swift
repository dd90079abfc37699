import Ethereum
import Primitives
import RLP
import Secp256k1
import XCTest

/// Each way an encoding can be malformed maps to its own error.
final class TransactionDecodingErrorTests: XCTestCase {
    static let n = uint256("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")
    static let halfN = uint256("0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0")

    /// The fields of a valid signed transaction of `type`, to break one at a time.
    static func fields(_ type: TransactionType) -> [RLPItem] {
        let tx = Transaction(type: type, chainID: 1, nonce: 3, maxPriorityFeePerGas: type == .dynamicFee ? 1 : 2,
                             maxFeePerGas: 2, gasLimit: 30_000, to: Address(hex: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"),
                             value: 5, data: [1, 2],
                             accessList: type == .legacy ? [] : [AccessListEntry(address: .zero, storageKeys: [.zero])])
        let raw = tx.signed(with: DevAccounts.keys[0]).raw
        return try! RLP.decode(type == .legacy ? raw : Array(raw.dropFirst())).list!
    }

    static func encode(_ type: TransactionType, _ fields: [RLPItem]) -> [UInt8] {
        (type == .legacy ? [] : [type.rawValue]) + RLP.encode(.list(fields))
    }

    /// `fields(type)` with field `index` replaced by `item`, encoded.
    static func with(_ type: TransactionType, _ index: Int, _ item: RLPItem) -> [UInt8] {
        var f = fields(type)
        f[index] = item
        return encode(type, f)
    }

    func expect(_ raw: [UInt8], _ expected: TransactionDecodingError, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try SignedTransaction.decode(raw), file: file, line: line) { error in
            XCTAssertEqual(error as? TransactionDecodingError, expected, file: file, line: line)
        }
    }

    func testTheUnbrokenFieldsDecode() throws {
        for type in TransactionType.allCases {
            let tx = try SignedTransaction.decode(Self.encode(type, Self.fields(type)))
            XCTAssertEqual(try tx.recoverSender(), DevAccounts.addresses[0])
        }
    }

    func testEnvelope() {
        expect([], .emptyInput)
        for type: UInt8 in [0, 3, 4, 5, 0x7f] { expect([type, 0xc0], .unsupportedType(type)) }
        expect([0x80], .rlp(.expectedList(offset: 0)))
        expect([2], .rlp(.truncated(offset: 1)))
        expect([2, 0xc3, 0x01], .rlp(.lengthBeyondInput(offset: 1, declared: 3, available: 1)))
        for type in TransactionType.allCases {
            expect(Self.encode(type, Self.fields(type)) + [0], .trailingBytes)
            let fields = Self.fields(type)
            expect(Self.encode(type, Array(fields.dropLast())), .wrongFieldCount(expected: fields.count, got: fields.count - 1))
            expect(Self.encode(type, fields + [.bytes([])]), .wrongFieldCount(expected: fields.count, got: fields.count + 1))
            expect(Self.encode(type, []), .wrongFieldCount(expected: fields.count, got: 0))
        }
    }

    func testIntegers() {
        expect(Self.with(.legacy, 0, .bytes([0, 3])), .fieldNotCanonical(field: "nonce"))
        expect(Self.with(.legacy, 0, .bytes([0])), .fieldNotCanonical(field: "nonce"))
        expect(Self.with(.legacy, 0, .uint(UInt64.max)), .nonceOverflow)
        expect(Self.with(.legacy, 0, .bytes([1] + [UInt8](repeating: 0, count: 8))), .nonceOverflow)
        expect(Self.with(.legacy, 1, .bytes([0, 2])), .fieldNotCanonical(field: "gasPrice"))
        expect(Self.with(.legacy, 1, .bytes([UInt8](repeating: 1, count: 33))), .integerTooLarge(field: "gasPrice"))
        expect(Self.with(.legacy, 2, .bytes([UInt8](repeating: 1, count: 9))), .gasLimitOverflow)
        expect(Self.with(.legacy, 4, .list([])), .unexpectedList(field: "value"))
        expect(Self.with(.legacy, 5, .list([])), .unexpectedList(field: "data"))
        expect(Self.with(.dynamicFee, 0, .bytes([UInt8](repeating: 1, count: 9))), .integerTooLarge(field: "chainId"))
        expect(Self.with(.dynamicFee, 2, .bytes([0, 1])), .fieldNotCanonical(field: "maxPriorityFeePerGas"))
        expect(Self.with(.dynamicFee, 3, .bytes([0, 1])), .fieldNotCanonical(field: "maxFeePerGas"))
        expect(Self.with(.accessList, 2, .bytes([0, 1])), .fieldNotCanonical(field: "gasPrice"))
    }

    func testAddressesAndAccessLists() {
        expect(Self.with(.legacy, 3, .bytes([UInt8](repeating: 1, count: 19))), .addressWrongLength(field: "to", length: 19))
        expect(Self.with(.legacy, 3, .bytes([0] + [UInt8](repeating: 1, count: 20))), .addressWrongLength(field: "to", length: 21))
        let address = RLPItem.bytes([UInt8](repeating: 7, count: 20))
        let key = RLPItem.bytes([UInt8](repeating: 9, count: 32))
        let cases: [(RLPItem, TransactionDecodingError)] = [
            (.list([.list([.bytes([1, 2]), .list([])])]), .addressWrongLength(field: "accessList[0].address", length: 2)),
            (.list([.list([address, .list([.bytes([1])])])]), .storageKeyWrongLength(1)),
            (.list([.list([address, .list([.bytes([0] + [UInt8](repeating: 9, count: 32))])])]), .storageKeyWrongLength(33)),
            (.list([.list([address, .list([key])]), .list([address])]), .malformedAccessListEntry(index: 1)),
            (.list([.list([address, .list([]), .list([])])]), .malformedAccessListEntry(index: 0)),
            (.list([.list([address, key])]), .malformedAccessListEntry(index: 0)),
            (.list([address]), .malformedAccessListEntry(index: 0)),
            (.list([.list([.list([]), .list([])])]), .malformedAccessListEntry(index: 0)),
        ]
        for (list, error) in cases {
            expect(Self.with(.accessList, 7, list), error)
            expect(Self.with(.dynamicFee, 8, list), error)
        }
        expect(Self.with(.dynamicFee, 8, .bytes([])), .rlp(.expectedList(offset: 1 + 2 + 1 + 1 + 1 + 1 + 3 + 21 + 1 + 3)))
    }

    func testSignatureValues() {
        for v: UInt64 in [0, 1, 26, 29, 34] { expect(Self.with(.legacy, 6, .uint(v)), .invalidV(UInt256(v))) }
        let hugeV = UInt256(w0: 35, w1: 0, w2: 1, w3: 0)
        expect(Self.with(.legacy, 6, .uint256(hugeV)), .invalidV(hugeV))
        expect(Self.with(.legacy, 6, .bytes([0, 37])), .fieldNotCanonical(field: "v"))
        expect(Self.with(.dynamicFee, 9, .uint(2)), .invalidYParity(2))
        expect(Self.with(.accessList, 8, .uint(27)), .invalidYParity(27))
        expect(Self.with(.dynamicFee, 9, .bytes([0])), .fieldNotCanonical(field: "yParity"))
        for type in TransactionType.allCases {
            let count = Self.fields(type).count
            let r = count - 2, s = count - 1
            expect(Self.with(type, r, .uint(0)), .signatureInvalid(.rOutOfRange))
            expect(Self.with(type, r, .uint256(Self.n)), .signatureInvalid(.rOutOfRange))
            expect(Self.with(type, s, .uint(0)), .signatureInvalid(.sOutOfRange))
            expect(Self.with(type, s, .uint256(Self.n)), .signatureInvalid(.sOutOfRange))
            expect(Self.with(type, s, .uint256(Self.halfN + 1)), .highS)
            expect(Self.with(type, s, .bytes([1] + [UInt8](repeating: 0, count: 32))), .integerTooLarge(field: "s"))
            let valid = try? SignedTransaction.decode(Self.with(type, s, .uint256(Self.halfN)))
            XCTAssertNotNil(valid, "s = n/2 is low")
            XCTAssertNotEqual(try? valid?.recoverSender(), DevAccounts.addresses[0], "another s, another signer")
        }
    }

    func testFeeConsistency() {
        expect(Self.with(.dynamicFee, 2, .uint(3)), .priorityFeeAboveMaxFee)
        var f = Self.fields(.dynamicFee)
        f[2] = .uint(1)
        f[3] = .uint256(UInt256.max >> 16)
        f[4] = .uint(UInt64(1) << 16 + 1)
        expect(Self.encode(.dynamicFee, f), .gasCostOverflow)
        f[4] = .uint(UInt64(1) << 16)
        XCTAssertNoThrow(try SignedTransaction.decode(Self.encode(.dynamicFee, f)))
        var legacy = Self.fields(.legacy)
        legacy[1] = .uint256(UInt256.max)
        legacy[2] = .uint(2)
        expect(Self.encode(.legacy, legacy), .gasCostOverflow)
    }

    func testMessagesReadLikeAClient() {
        XCTAssertEqual(TransactionDecodingError.unsupportedType(3).message, "transaction type not supported")
        XCTAssertEqual(TransactionDecodingError.signatureInvalid(.noCurvePointForR).message, "invalid sender")
        XCTAssertTrue(TransactionDecodingError.rlp(.truncated(offset: 4)).message.hasPrefix("rlp: "))
        XCTAssertTrue(TransactionDecodingError.fieldNotCanonical(field: "nonce").message.hasPrefix("rlp: "))
        XCTAssertEqual(TransactionDecodingError.priorityFeeAboveMaxFee.message, "max priority fee per gas higher than max fee per gas")
    }
}
