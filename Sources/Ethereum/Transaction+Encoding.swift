import Hashing
import Primitives
import RLP

/// The canonical encodings: what is signed and what is sent.
///
/// Legacy: `rlp([nonce, gasPrice, gasLimit, to, value, data, v, r, s])`,
/// signed over the first six fields plus `[chainId, 0, 0]` (EIP-155) or
/// alone (pre-EIP-155). Typed: `type ‖ rlp([chainId, nonce, fees…, gasLimit,
/// to, value, data, accessList, yParity, r, s])`, signed over
/// `type ‖ rlp(fields without the signature)` (EIP-2718, EIP-2930, EIP-1559).
/// List lengths are computed before writing, so each encoding is one
/// allocation of the exact size.
extension Transaction {
    /// The bytes whose Keccak-256 is signed.
    public var signingPayload: [UInt8] {
        let fields = fieldsPayloadLength
        let extra = signingSuffixLength
        let payload = fields + extra
        var encoder = RLPEncoder(reservingCapacity: 1 + RLP.encodedLength(listPayloadLength: payload))
        if type.isTyped { encoder.bytes.append(type.rawValue) }
        encoder.appendListHeader(payloadLength: payload)
        appendFields(to: &encoder)
        if type == .legacy, let chainID {
            encoder.append(chainID)
            encoder.append(UInt64(0))
            encoder.append(UInt64(0))
        }
        return encoder.bytes
    }

    /// The digest the sender signs: Keccak-256 of `signingPayload`.
    public func signingHash() -> Hash32 {
        signingPayload.withUnsafeBytes { Keccak256.hash(buffer: $0) }
    }

    /// The canonical signed encoding with signature values `v` (legacy: 27/28
    /// or chainId·2+35/36; typed: the y parity), `r` and `s`.
    func encoded(v: UInt256, r: UInt256, s: UInt256) -> [UInt8] {
        let payload = fieldsPayloadLength + RLP.encodedLength(of: v) + RLP.encodedLength(of: r)
            + RLP.encodedLength(of: s)
        var encoder = RLPEncoder(reservingCapacity: 1 + RLP.encodedLength(listPayloadLength: payload))
        if type.isTyped { encoder.bytes.append(type.rawValue) }
        encoder.appendListHeader(payloadLength: payload)
        appendFields(to: &encoder)
        encoder.append(v)
        encoder.append(r)
        encoder.append(s)
        return encoder.bytes
    }

    /// The encoded length of the `[chainId, 0, 0]` that EIP-155 appends when signing.
    private var signingSuffixLength: Int {
        guard type == .legacy, let chainID else { return 0 }
        return RLP.encodedLength(of: chainID) + 2
    }

    /// The encoded length of the unsigned fields, without a list header.
    var fieldsPayloadLength: Int {
        var n = RLP.encodedLength(of: nonce) + RLP.encodedLength(of: gasLimit)
            + (to == nil ? 1 : 21) + RLP.encodedLength(of: value)
            + RLP.encodedLength(ofBytes: data)
        switch type {
        case .legacy:
            n += RLP.encodedLength(of: maxFeePerGas)
        case .accessList:
            n += RLP.encodedLength(of: chainID ?? 0) + RLP.encodedLength(of: maxFeePerGas)
                + RLP.encodedLength(listPayloadLength: accessListPayloadLength)
        case .dynamicFee:
            n += RLP.encodedLength(of: chainID ?? 0) + RLP.encodedLength(of: maxPriorityFeePerGas)
                + RLP.encodedLength(of: maxFeePerGas)
                + RLP.encodedLength(listPayloadLength: accessListPayloadLength)
        }
        return n
    }

    /// Appends the unsigned fields (no list header) in the order of `type`.
    func appendFields(to encoder: inout RLPEncoder) {
        if type.isTyped { encoder.append(chainID ?? 0) }
        encoder.append(nonce)
        if type == .dynamicFee { encoder.append(maxPriorityFeePerGas) }
        encoder.append(maxFeePerGas)
        encoder.append(gasLimit)
        if let to {
            to.withUnsafeBytes { encoder.append(buffer: $0) }
        } else {
            encoder.append(buffer: UnsafeRawBufferPointer(start: nil, count: 0))
        }
        encoder.append(value)
        data.withUnsafeBytes { encoder.append(buffer: $0) }
        if type.isTyped { appendAccessList(to: &encoder) }
    }

    private var accessListPayloadLength: Int {
        accessList.reduce(0) { $0 + RLP.encodedLength(listPayloadLength: Self.entryPayloadLength($1)) }
    }

    private static func entryPayloadLength(_ entry: AccessListEntry) -> Int {
        21 + RLP.encodedLength(listPayloadLength: 33 * entry.storageKeys.count)
    }

    private func appendAccessList(to encoder: inout RLPEncoder) {
        encoder.appendListHeader(payloadLength: accessListPayloadLength)
        for entry in accessList {
            encoder.appendListHeader(payloadLength: Self.entryPayloadLength(entry))
            entry.address.withUnsafeBytes { encoder.append(buffer: $0) }
            encoder.appendListHeader(payloadLength: 33 * entry.storageKeys.count)
            for key in entry.storageKeys {
                key.withUnsafeBytes { encoder.append(buffer: $0) }
            }
        }
    }
}
