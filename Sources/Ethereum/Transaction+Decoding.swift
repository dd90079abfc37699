import Hashing
import Primitives
import RLP

extension SignedTransaction {
    /// Decodes a raw transaction (what `eth_sendRawTransaction` carries)
    /// strictly: canonical RLP and integers, exact field counts, 20-byte
    /// addresses, 32-byte storage keys, nonce < 2^64 − 1, a 64-bit gas
    /// limit, legacy v ∈ {27, 28, chainId·2 + 35/36}, typed y parity ∈ {0, 1},
    /// 0 < r < n, 0 < s ≤ n/2, priority fee ≤ fee cap, gasLimit × fee cap
    /// within 256 bits, nothing after the transaction. `raw` is kept as the
    /// result's `raw` without copying; the sender is not recovered.
    public static func decode(_ raw: [UInt8]) throws(TransactionDecodingError) -> SignedTransaction {
        let result = raw.withUnsafeBytes { buffer in
            Result { () throws(TransactionDecodingError) -> SignedTransaction in
                try TransactionDecoder.decode(buffer, raw: raw)
            }
        }
        return try result.get()
    }

    /// `decode(_:)` reading borrowed memory (a request body); the bytes are
    /// copied once, into `raw`.
    public static func decode(buffer: UnsafeRawBufferPointer) throws(TransactionDecodingError) -> SignedTransaction {
        try TransactionDecoder.decode(buffer, raw: nil)
    }
}

/// The strict decoder behind `SignedTransaction.decode`: reads every field
/// straight from the input with `RLPReader`, allocating only the result's
/// `data`, access list and (for borrowed input) `raw`. The signing hash is
/// taken from the input's own field bytes, so nothing is re-encoded.
enum TransactionDecoder {
    /// secp256k1's group order n.
    static let curveOrder = UInt256(w0: 0xBFD2_5E8C_D036_4141, w1: 0xBAAE_DCE6_AF48_A03B,
                                    w2: 0xFFFF_FFFF_FFFF_FFFE, w3: 0xFFFF_FFFF_FFFF_FFFF)
    /// ⌊n/2⌋, the largest s EIP-2 allows.
    static let halfCurveOrder = UInt256(w0: 0xDFE9_2F46_681B_20A0, w1: 0x5D57_6E73_57A4_501D,
                                        w2: 0xFFFF_FFFF_FFFF_FFFF, w3: 0x7FFF_FFFF_FFFF_FFFF)

    static func decode(_ input: UnsafeRawBufferPointer, raw: [UInt8]?) throws(TransactionDecodingError) -> SignedTransaction {
        guard let first = input.first else { throw .emptyInput }
        let type: TransactionType
        let body: UnsafeRawBufferPointer
        if first >= 0x80 {
            type = .legacy
            body = input
        } else {
            guard first == 1 || first == 2, let t = TransactionType(rawValue: first) else {
                throw .unsupportedType(first)
            }
            type = t
            body = UnsafeRawBufferPointer(rebasing: input[1...])
        }
        let base = type.isTyped ? 1 : 0
        var top = RLPReader(body)
        let list: RLPReader
        do throws(RLPError) {
            list = try top.readList()
            try top.finish()
        } catch .trailingBytes {
            throw .trailingBytes
        } catch {
            throw .rlp(error.shifted(by: base))
        }
        var fields = TransactionFieldReader(reader: list, expected: type.fieldCount, base: base)
        let decoded = type == .legacy ? try decodeLegacy(&fields) : try decodeTyped(type, &fields)
        let tx = decoded.transaction
        if tx.nonce == .max { throw .nonceOverflow }
        if decoded.r.isZero || decoded.r >= curveOrder { throw .signatureInvalid(.rOutOfRange) }
        if decoded.s.isZero || decoded.s >= curveOrder { throw .signatureInvalid(.sOutOfRange) }
        if decoded.s > halfCurveOrder { throw .highS }
        if tx.maxPriorityFeePerGas > tx.maxFeePerGas { throw .priorityFeeAboveMaxFee }
        if tx.maxGasCost == nil { throw .gasCostOverflow }
        let signed = UnsafeRawBufferPointer(rebasing: body[decoded.unsignedFields])
        return SignedTransaction(transaction: tx, r: decoded.r, s: decoded.s, yParity: decoded.yParity,
                                 raw: raw ?? Array(input), hash: Keccak256.hash(buffer: input),
                                 signingHash: signingHash(type: type, chainID: tx.chainID, fields: signed))
    }

    private struct Decoded {
        var transaction: Transaction
        var yParity: UInt8
        var r: UInt256
        var s: UInt256
        /// Where the unsigned fields' encodings lie in the RLP body.
        var unsignedFields: Range<Int>
    }

    private static func decodeLegacy(_ f: inout TransactionFieldReader) throws(TransactionDecodingError) -> Decoded {
        let start = f.reader.position
        let nonce = try f.uint64("nonce", tooLarge: .nonceOverflow)
        let gasPrice = try f.uint256("gasPrice")
        let gasLimit = try f.uint64("gas", tooLarge: .gasLimitOverflow)
        let to = try f.recipient()
        let value = try f.uint256("value")
        let data = try f.data()
        let end = f.reader.position
        let v = try f.uint256("v")
        let r = try f.uint256("r")
        let s = try f.uint256("s")
        try f.finish()
        let chainID: UInt64?
        let parity: UInt8
        if v == UInt256(27) || v == UInt256(28) {
            chainID = nil
            parity = UInt8(v.w0 - 27)
        } else {
            let (offset, below35) = v.subtractingReportingOverflow(UInt256(35))
            guard !below35, offset.w3 == 0, offset.w2 == 0, offset.w1 >> 1 == 0 else { throw .invalidV(v) }
            chainID = offset.w0 >> 1 | offset.w1 << 63
            parity = UInt8(offset.w0 & 1)
        }
        let tx = Transaction.legacy(chainID: chainID, nonce: nonce, gasPrice: gasPrice, gasLimit: gasLimit,
                                    to: to, value: value, data: data)
        return Decoded(transaction: tx, yParity: parity, r: r, s: s, unsignedFields: start..<end)
    }

    private static func decodeTyped(_ type: TransactionType, _ f: inout TransactionFieldReader) throws(TransactionDecodingError) -> Decoded {
        let start = f.reader.position
        let chainID = try f.uint64("chainId", tooLarge: .integerTooLarge(field: "chainId"))
        let nonce = try f.uint64("nonce", tooLarge: .nonceOverflow)
        let maxPriorityFee: UInt256
        let maxFee: UInt256
        if type == .dynamicFee {
            maxPriorityFee = try f.uint256("maxPriorityFeePerGas")
            maxFee = try f.uint256("maxFeePerGas")
        } else {
            maxFee = try f.uint256("gasPrice")
            maxPriorityFee = maxFee
        }
        let gasLimit = try f.uint64("gas", tooLarge: .gasLimitOverflow)
        let to = try f.recipient()
        let value = try f.uint256("value")
        let data = try f.data()
        let accessList = try f.accessList()
        let end = f.reader.position
        let yParity = try f.uint256("yParity")
        let r = try f.uint256("r")
        let s = try f.uint256("s")
        try f.finish()
        guard let parity = yParity.uint64, parity <= 1 else { throw .invalidYParity(yParity) }
        let tx = Transaction(type: type, chainID: chainID, nonce: nonce, maxPriorityFeePerGas: maxPriorityFee,
                             maxFeePerGas: maxFee, gasLimit: gasLimit, to: to, value: value, data: data,
                             accessList: accessList)
        return Decoded(transaction: tx, yParity: UInt8(parity), r: r, s: s, unsignedFields: start..<end)
    }

    /// keccak256 of what the sender signed, streamed from the input's own
    /// field bytes: `type ‖ header ‖ fields`, or for legacy
    /// `header ‖ fields [‖ rlp(chainId) ‖ 0x80 0x80]` (EIP-155).
    static func signingHash(type: TransactionType, chainID: UInt64?, fields: UnsafeRawBufferPointer) -> Hash32 {
        var suffixLength = 0
        if type == .legacy, let chainID {
            suffixLength = RLP.encodedLength(of: chainID) + 2
        }
        var hasher = Keccak256()
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &scratch) { out in
            var n = 0
            if type.isTyped {
                out[0] = type.rawValue
                n = 1
            }
            n += writeListHeader(payloadLength: fields.count + suffixLength, into: UnsafeMutableRawBufferPointer(rebasing: out[n...]))
            hasher.update(buffer: UnsafeRawBufferPointer(rebasing: out[..<n]))
        }
        hasher.update(buffer: fields)
        if type == .legacy, let chainID {
            withUnsafeMutableBytes(of: &scratch) { out in
                var n = writeUInt64(chainID, into: out)
                out[n] = 0x80
                out[n + 1] = 0x80
                n += 2
                hasher.update(buffer: UnsafeRawBufferPointer(rebasing: out[..<n]))
            }
        }
        return hasher.finalize()
    }

    private static func writeListHeader(payloadLength: Int, into out: UnsafeMutableRawBufferPointer) -> Int {
        if payloadLength < 56 {
            out[0] = 0xc0 + UInt8(payloadLength)
            return 1
        }
        let n = (64 - UInt64(payloadLength).leadingZeroBitCount + 7) >> 3
        out[0] = 0xf7 + UInt8(n)
        for i in 0..<n { out[1 + i] = UInt8(truncatingIfNeeded: payloadLength >> ((n - 1 - i) * 8)) }
        return 1 + n
    }

    private static func writeUInt64(_ value: UInt64, into out: UnsafeMutableRawBufferPointer) -> Int {
        if value == 0 {
            out[0] = 0x80
            return 1
        }
        if value < 0x80 {
            out[0] = UInt8(value)
            return 1
        }
        let n = (64 - value.leadingZeroBitCount + 7) >> 3
        out[0] = 0x80 + UInt8(n)
        for i in 0..<n { out[1 + i] = UInt8(truncatingIfNeeded: value >> UInt64((n - 1 - i) * 8)) }
        return 1 + n
    }
}

extension TransactionType {
    /// The number of RLP fields of the signed transaction.
    var fieldCount: Int {
        switch self {
        case .legacy: return 9
        case .accessList: return 11
        case .dynamicFee: return 12
        }
    }
}
