/// An incremental parser of WebSocket frames as a server receives them.
///
/// Like ``HTTPRequestParser`` it is a value with one `mutating` call per
/// input chunk: ``parse(_:)`` consumes bytes up to the next complete frame
/// (or violation) and reports how many it took, so input may be split at any
/// byte. It checks each header as soon as it is complete (reserved bits and
/// opcodes, masking, control-frame rules, the frame size limit), before any
/// payload is buffered, and unmasks the payload as it copies it. After a
/// violation it stays failed.
struct WebSocketFrameParser: Sendable {
    enum Event: Sendable, Equatable {
        case frame(WebSocketFrame)
        case violation(WebSocketViolation)
    }

    private enum State: Sendable, Equatable {
        case head0
        case head1
        /// Reading a 16- or 64-bit extended length; `remaining` bytes to go.
        case extendedLength(remaining: Int)
        case maskKey(remaining: Int)
        case payload
        case failed(WebSocketViolation)
    }

    /// Frames with longer payloads are refused (1009) from their header alone.
    let maxFrameBytes: Int
    /// Servers require masked frames (RFC 6455 §5.1); clients require unmasked ones.
    let requiresMask: Bool

    private var state: State = .head0
    private var fin = false
    private var opcode: WebSocketOpcode = .continuation
    private var masked = false
    private var length: UInt64 = 0
    private var mask: UInt32 = 0
    private var payload: [UInt8] = []

    init(maxFrameBytes: Int, requiresMask: Bool = true) {
        self.maxFrameBytes = maxFrameBytes
        self.requiresMask = requiresMask
    }

    /// True between frames: no byte of the next frame has been consumed.
    var isIdle: Bool { state == .head0 }

    /// Consumes input up to the end of the next frame. Returns the bytes used
    /// and the frame or violation, or nil when the input ran out first.
    mutating func parse(_ input: UnsafeRawBufferPointer) -> (consumed: Int, event: Event?) {
        var offset = 0
        while true {
            switch state {
            case .failed(let violation):
                return (input.count, .violation(violation))
            case .payload:
                let need = Int(length) - payload.count
                let take = min(need, input.count - offset)
                if take > 0 {
                    append(UnsafeRawBufferPointer(rebasing: input[offset..<offset + take]))
                    offset += take
                }
                guard payload.count == Int(length) else { return (offset, nil) }
                return (offset, .frame(finishFrame()))
            default:
                guard offset < input.count else { return (offset, nil) }
                let byte = input[offset]
                offset += 1
                if let event = consumeHeaderByte(byte) { return (offset, event) }
            }
        }
    }

    /// Takes one header byte; returns an event when it completes an empty frame or breaks a rule.
    private mutating func consumeHeaderByte(_ byte: UInt8) -> Event? {
        switch state {
        case .head0:
            let reserved = byte & 0x70
            if reserved != 0 { return fail(.reservedBitsSet(reserved >> 4)) }
            guard let op = WebSocketOpcode(rawValue: byte & 0x0F) else { return fail(.reservedOpcode(byte & 0x0F)) }
            fin = byte & 0x80 != 0
            opcode = op
            if op.isControl && !fin { return fail(.fragmentedControlFrame(op)) }
            state = .head1
        case .head1:
            masked = byte & 0x80 != 0
            if requiresMask && !masked { return fail(.unmaskedClientFrame) }
            let short = byte & 0x7F
            length = 0
            switch short {
            case 126: state = .extendedLength(remaining: 2)
            case 127: state = .extendedLength(remaining: 8)
            default:
                length = UInt64(short)
                return headerLengthKnown()
            }
        case .extendedLength(let remaining):
            if remaining == 8 && byte & 0x80 != 0 { return fail(.frameTooLarge(bytes: UInt64(byte) << 56, limit: maxFrameBytes)) }
            length = length << 8 | UInt64(byte)
            if remaining > 1 {
                state = .extendedLength(remaining: remaining - 1)
            } else {
                return headerLengthKnown()
            }
        case .maskKey(let remaining):
            mask = mask << 8 | UInt32(byte)
            if remaining > 1 {
                state = .maskKey(remaining: remaining - 1)
            } else {
                return startPayload()
            }
        case .payload, .failed:
            break
        }
        return nil
    }

    private mutating func headerLengthKnown() -> Event? {
        if opcode.isControl && length > 125 { return fail(.controlFrameTooLong(opcode, bytes: length)) }
        if length > UInt64(maxFrameBytes) { return fail(.frameTooLarge(bytes: length, limit: maxFrameBytes)) }
        mask = 0
        if masked {
            state = .maskKey(remaining: 4)
            return nil
        }
        return startPayload()
    }

    private mutating func startPayload() -> Event? {
        payload = []
        guard length > 0 else { return .frame(finishFrame()) }
        payload.reserveCapacity(Int(length))
        state = .payload
        return nil
    }

    private mutating func finishFrame() -> WebSocketFrame {
        let frame = WebSocketFrame(fin: fin, opcode: opcode, payload: payload)
        payload = []
        state = .head0
        return frame
    }

    /// Copies `chunk` into the payload, unmasking with the key rotated to the payload offset.
    private mutating func append(_ chunk: UnsafeRawBufferPointer) {
        let start = payload.count
        payload.append(contentsOf: chunk)
        guard masked else { return }
        let key = mask
        payload.withUnsafeMutableBytes { bytes in
            var i = start
            while i < bytes.count && i & 3 != 0 {
                bytes[i] ^= UInt8(truncatingIfNeeded: key >> (24 - 8 * UInt32(i & 3)))
                i += 1
            }
            let wide = UInt64(key.bigEndian) | UInt64(key.bigEndian) << 32
            while i + 8 <= bytes.count {
                let word = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                bytes.storeBytes(of: word ^ wide, toByteOffset: i, as: UInt64.self)
                i += 8
            }
            while i < bytes.count {
                bytes[i] ^= UInt8(truncatingIfNeeded: key >> (24 - 8 * UInt32(i & 3)))
                i += 1
            }
        }
    }

    private mutating func fail(_ violation: WebSocketViolation) -> Event {
        state = .failed(violation)
        payload = []
        return .violation(violation)
    }
}
