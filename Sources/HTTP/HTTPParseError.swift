/// Why a request was refused while being read; each maps to the status the
/// server answers with before closing the connection.
public enum HTTPParseError: Error, Sendable, Equatable {
    case malformedRequestLine
    case malformedHeader
    /// HTTP/1.1 without exactly one `Host`, or any version with several.
    case invalidHost
    case unsupportedMethod
    case unsupportedVersion
    case unsupportedTransferEncoding
    case malformedTransferEncoding
    case invalidContentLength
    case conflictingContentLength
    case contentLengthWithTransferEncoding
    case malformedChunk
    case headerTooLarge
    case bodyTooLarge
    case unsupportedExpectation

    /// The response status for this refusal.
    public var status: HTTPStatus {
        switch self {
        case .unsupportedMethod, .unsupportedTransferEncoding: .notImplemented
        case .unsupportedVersion: .httpVersionNotSupported
        case .headerTooLarge: .requestHeaderFieldsTooLarge
        case .bodyTooLarge: .contentTooLarge
        case .unsupportedExpectation: .expectationFailed
        default: .badRequest
        }
    }

    /// The text of the JSON error body.
    public var message: String {
        switch self {
        case .malformedRequestLine: "malformed request line"
        case .malformedHeader: "malformed header"
        case .invalidHost: "missing or repeated Host header"
        case .unsupportedMethod: "method not implemented"
        case .unsupportedVersion: "HTTP version not supported"
        case .unsupportedTransferEncoding: "transfer encoding not implemented"
        case .malformedTransferEncoding: "malformed Transfer-Encoding"
        case .invalidContentLength: "invalid Content-Length"
        case .conflictingContentLength: "conflicting Content-Length"
        case .contentLengthWithTransferEncoding: "both Content-Length and Transfer-Encoding"
        case .malformedChunk: "malformed chunked body"
        case .headerTooLarge: "request header too large"
        case .bodyTooLarge: "request body too large"
        case .unsupportedExpectation: "unsupported expectation"
        }
    }
}
