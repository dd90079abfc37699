/// A frame's opcode (RFC 6455 §5.2); the values not listed are reserved.
public enum WebSocketOpcode: UInt8, Sendable {
    case continuation = 0x0
    case text = 0x1
    case binary = 0x2
    case close = 0x8
    case ping = 0x9
    case pong = 0xA

    /// Close, ping and pong: at most 125 bytes, never fragmented, allowed between fragments.
    public var isControl: Bool { rawValue & 0x8 != 0 }
}

/// One frame with its payload unmasked.
public struct WebSocketFrame: Sendable, Equatable {
    public var fin: Bool
    public var opcode: WebSocketOpcode
    public var payload: [UInt8]

    public init(fin: Bool = true, opcode: WebSocketOpcode, payload: [UInt8]) {
        self.fin = fin
        self.opcode = opcode
        self.payload = payload
    }
}

/// A complete message, reassembled from its fragments.
public enum WebSocketMessage: Sendable, Equatable {
    /// Text, already checked to be valid UTF-8.
    case text(String)
    case binary([UInt8])
}

/// What the peer did wrong; each case fails the connection with its close code.
public enum WebSocketViolation: Error, Sendable, Equatable {
    case reservedBitsSet(UInt8)
    case reservedOpcode(UInt8)
    case unmaskedClientFrame
    case fragmentedControlFrame(WebSocketOpcode)
    case controlFrameTooLong(WebSocketOpcode, bytes: UInt64)
    case frameTooLarge(bytes: UInt64, limit: Int)
    case messageTooLarge(bytes: Int, limit: Int)
    /// A continuation frame with no fragmented message in progress.
    case continuationWithoutStart
    /// A new text or binary frame before the fragmented message in progress ended.
    case dataFrameInsideFragmentedMessage
    case invalidUTF8
    /// A close payload of one byte, which cannot hold a status code.
    case closePayloadTooShort
    case invalidCloseCode(UInt16)

    /// The code the connection is closed with.
    public var closeCode: WebSocketCloseCode {
        switch self {
        case .frameTooLarge, .messageTooLarge: .messageTooBig
        case .invalidUTF8: .invalidPayload
        default: .protocolError
        }
    }

    /// A short reason for the close frame (well under the 123 bytes a close frame allows).
    public var reason: String {
        switch self {
        case let .reservedBitsSet(bits): "reserved bits set (\(bits))"
        case let .reservedOpcode(op): "reserved opcode \(op)"
        case .unmaskedClientFrame: "client frames must be masked"
        case let .fragmentedControlFrame(op): "fragmented control frame (\(op))"
        case let .controlFrameTooLong(op, bytes): "control frame (\(op)) of \(bytes) bytes, limit 125"
        case let .frameTooLarge(bytes, limit): "frame of \(bytes) bytes, limit \(limit)"
        case let .messageTooLarge(bytes, limit): "message of \(bytes)+ bytes, limit \(limit)"
        case .continuationWithoutStart: "continuation frame without a message to continue"
        case .dataFrameInsideFragmentedMessage: "new data frame inside a fragmented message"
        case .invalidUTF8: "text is not valid UTF-8"
        case .closePayloadTooShort: "close payload of 1 byte"
        case let .invalidCloseCode(code): "invalid close code \(code)"
        }
    }
}
