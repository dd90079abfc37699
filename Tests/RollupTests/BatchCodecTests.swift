import Ethereum
import Primitives
import XCTest
@testable import Rollup

final class BatchCodecTests: XCTestCase {
    let a = Fixture.addresses

    /// Built once: signing 1,000 transactions is the slow part.
    private static let thousand = makeThousandTransfers()

    private func thousandTransfers() -> (batch: Batch, blocks: [L2Block], chain: CanonicalChain) { Self.thousand }

    /// 1,000 transfers from 8 senders to 5 recipients (one of them the
    /// withdrawal address, in the first block) with typical wallet fees and
    /// round amounts, in 4 blocks of 250.
    private static func makeThousandTransfers() -> (batch: Batch, blocks: [L2Block], chain: CanonicalChain) {
        let a = Fixture.addresses
        let chain = Fixture.chain()
        var seq = MiniSequencer(chain)
        var rng = SplitMix64(seed: 42)
        let recipients = [a[8], a[9], Address(hex: "0x00000000000000000000000000000000000000c1")!,
                          Address(hex: "0x00000000000000000000000000000000000000c2")!, ChainConfiguration.withdrawalAddress]
        var blocks: [L2Block] = []
        for _ in 0..<4 {
            var items: [MiniSequencer.Either] = []
            for _ in 0..<250 {
                let from = Int(rng.next() % 8)
                let to = recipients[Int(rng.next() % UInt64(recipients.count - (blocks.isEmpty ? 0 : 1)))]
                let value = UInt256(rng.next() % 1000 + 1) * UInt256(1_000_000_000_000_000)
                items.append(.tx(seq.transfer(from: from, to: to, value: value)))
            }
            blocks.append(seq.block(items))
        }
        return (seq.batch(blocks), blocks, chain)
    }

    func testThousandTransfersCostAtMost100BytesEachAndRoundTrip() throws {
        let (batch, blocks, chain) = thousandTransfers()
        let bytes = batch.encoded()
        let perTransfer = Double(bytes.count) / 1000
        let raw = blocks.flatMap(\.transactions).reduce(0) { $0 + $1.transaction.raw.count }
        print("batch of 1000 transfers: \(bytes.count) bytes, \(perTransfer) bytes per transfer (raw RLP: \(Double(raw) / 1000))")
        XCTAssertLessThanOrEqual(perTransfer, 100)

        let decoded = try Batch(encoded: bytes)
        XCTAssertEqual(decoded, batch)
        XCTAssertEqual(decoded.encoded(), bytes)
        XCTAssertEqual(decoded.hash, batch.hash)
        var c = chain
        let derived = try c.apply(decoded, l1BlockNumber: 1)
        XCTAssertEqual(derived.map(\.hash), blocks.map(\.hash))
    }

    func testMixedItemsRoundTrip() throws {
        var chain = Fixture.chain()
        chain.enqueue(.deposit(Deposit(queueIndex: 0, from: a[0], to: a[1], amount: UInt256(3))), l1BlockNumber: 0)
        var seq = MiniSequencer(chain)
        let legacy = Fixture.transfer(from: 4, nonce: 0, to: a[1], value: .zero, maxFee: Fixture.gwei, type: .legacy)
        let typed1 = Fixture.transfer(from: 5, nonce: 0, to: a[1], value: UInt256(123456789), maxFee: Fixture.gwei, gas: 21_064,
                                      data: [0, 1, 2, 3], type: .accessList)
        let withAccessList = Transaction(type: .dynamicFee, chainID: 31337, nonce: 0, maxPriorityFeePerGas: UInt256(1),
                                         maxFeePerGas: Fixture.gwei, gasLimit: 23_400, to: a[2], value: UInt256.max / UInt256(1 << 40),
                                         accessList: [AccessListEntry(address: a[3])]).signed(with: Fixture.keys[6])
        let block = seq.block([.tx(legacy), .forced(0), .tx(typed1)], queue: chain.queue, timestamp: 5_000, l1Origin: 0)
        let original = seq.batch([block])
        var batch = original
        batch.blocks.append(BatchBlock(timestamp: 4_000, l1OriginNumber: 7, items: [.transaction(withAccessList)], withdrawalsRoot: Hash32(UInt256(3))))
        let decoded = try Batch(encoded: batch.encoded())
        XCTAssertEqual(decoded, batch)
        XCTAssertEqual(try chain.apply(Batch(encoded: original.encoded()), l1BlockNumber: 0).map(\.hash), [block.hash])
    }

    func testHostileInputIsRefusedWithoutTrapping() throws {
        var batch = thousandTransfers().batch
        let first = batch.blocks[0]
        batch.blocks = [BatchBlock(timestamp: first.timestamp, l1OriginNumber: first.l1OriginNumber,
                                   items: Array(first.items.prefix(40)) + [.forced(queueIndex: 0)], withdrawalsRoot: first.withdrawalsRoot)]
        let bytes = batch.encoded()
        var rng = SplitMix64(seed: 7)
        for cut in stride(from: 0, to: bytes.count, by: 7) {
            XCTAssertThrowsError(try Batch(encoded: Array(bytes[0..<cut])), "prefix \(cut)")
        }
        XCTAssertThrowsError(try Batch(encoded: bytes + [0])) { XCTAssertEqual($0 as? BatchDecodingError, .trailingBytes(count: 1)) }
        for _ in 0..<300 {
            var mutated = bytes
            let i = Int(rng.next() % UInt64(bytes.count))
            mutated[i] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
            if let b = try? Batch(encoded: mutated) { XCTAssertEqual(b.encoded(), mutated) }
        }
        var huge = [BatchCodec.version, 0x01] + [UInt8](repeating: 0, count: 32) + [0, 0] + [UInt8](repeating: 0, count: 32)
        huge += [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]
        XCTAssertThrowsError(try Batch(encoded: huge)) {
            guard case .countTooLarge = $0 as? BatchDecodingError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try Batch(encoded: [])) { XCTAssertEqual($0 as? BatchDecodingError, .truncated(offset: 0)) }
        XCTAssertThrowsError(try Batch(encoded: [9])) { XCTAssertEqual($0 as? BatchDecodingError, .unsupportedVersion(9)) }
        var small = batch
        small.chainID = 1
        small.blocks = [BatchBlock(timestamp: 1, l1OriginNumber: 0, items: [], withdrawalsRoot: .zero)]
        var nonMinimal = small.encoded()
        XCTAssertEqual(try Batch(encoded: nonMinimal), small)
        nonMinimal.replaceSubrange(1...1, with: [0x81, 0x00])
        XCTAssertThrowsError(try Batch(encoded: nonMinimal)) { XCTAssertEqual($0 as? BatchDecodingError, .nonCanonical) }
    }

    func testAmountsRoundTripAtTheEdges() throws {
        for v in [UInt256.zero, UInt256(1), UInt256(10), UInt256(1_000_000_000_000_000_000), UInt256.max, UInt256.max - UInt256(1),
                  UInt256(UInt64.max), UInt256(UInt64.max) * UInt256(10)] {
            var w = BatchWriter()
            w.amount(v)
            var r = BatchReader(bytes: w.bytes)
            XCTAssertEqual(try r.amount(), v)
            XCTAssertEqual(r.remaining, 0)
        }
    }
}
