import Hashing

/// Why an opening handshake was refused (RFC 6455 §4.2.1), with what was sent.
public enum WebSocketHandshakeError: Error, Sendable, Equatable {
    case methodNotGet(HTTPMethod)
    case versionNotHTTP11(HTTPVersion)
    case upgradeNotWebSocket(String?)
    case connectionLacksUpgrade(String?)
    case unsupportedVersion(String?)
    case badKey(String?)
    /// The request was pipelined behind others still unanswered.
    case pipelined

    /// The response that refuses the upgrade: 400, or 426 naming version 13 for a wrong version.
    public var response: HTTPResponse {
        switch self {
        case let .unsupportedVersion(given):
            var refusal = HTTPResponse.error(HTTPStatus(code: 426, reasonPhrase: "Upgrade Required"),
                                             message: "unsupported Sec-WebSocket-Version \(given ?? "(none)"): this server speaks 13")
            refusal.headers.add(name: "Sec-WebSocket-Version", value: "13")
            return refusal
        default:
            return .error(.badRequest, message: message)
        }
    }

    /// What went wrong, in words.
    public var message: String {
        switch self {
        case let .methodNotGet(method): "a WebSocket handshake must be a GET, not \(method.rawValue)"
        case let .versionNotHTTP11(version): "a WebSocket handshake needs HTTP/1.1, not \(version)"
        case let .upgradeNotWebSocket(value): "Upgrade must be websocket, got \(value ?? "(none)")"
        case let .connectionLacksUpgrade(value): "Connection must contain Upgrade, got \(value ?? "(none)")"
        case let .unsupportedVersion(value): "unsupported Sec-WebSocket-Version \(value ?? "(none)")"
        case let .badKey(value): "Sec-WebSocket-Key must be 16 bytes in base64, got \(value ?? "(none)")"
        case .pipelined: "a WebSocket handshake must not be pipelined behind other requests"
        }
    }
}

/// The server side of the opening handshake: checks the client's request and
/// computes `Sec-WebSocket-Accept`. Pure functions, no I/O.
public enum WebSocketHandshake {
    /// The GUID RFC 6455 appends to the key before hashing.
    static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// Whether `request` asks to switch to WebSocket (so a router can send it to the upgrade path).
    public static func isUpgradeRequest(_ request: HTTPRequest) -> Bool {
        request.headers.contains("Upgrade") && request.headers.values(for: "Upgrade").contains { hasToken($0, "websocket") }
    }

    /// `base64(SHA-1(key ‖ GUID))`, the value proving the server read the key.
    public static func acceptValue(forKey key: String) -> String {
        Base64.encode(SHA1.hash(Array((key + guid).utf8)))
    }

    /// The `Sec-WebSocket-Accept` value for a valid handshake request.
    public static func validate(_ request: HTTPRequest) -> Result<String, WebSocketHandshakeError> {
        guard request.method == .get else { return .failure(.methodNotGet(request.method)) }
        guard request.version == .http1_1 else { return .failure(.versionNotHTTP11(request.version)) }
        let upgrade = request.headers.values(for: "Upgrade")
        guard upgrade.contains(where: { hasToken($0, "websocket") }) else {
            return .failure(.upgradeNotWebSocket(upgrade.first))
        }
        let connection = request.headers.values(for: "Connection")
        guard connection.contains(where: { hasToken($0, "upgrade") }) else {
            return .failure(.connectionLacksUpgrade(connection.first))
        }
        let version = request.headers["Sec-WebSocket-Version"]
        guard version == "13" else { return .failure(.unsupportedVersion(version)) }
        let keys = request.headers.values(for: "Sec-WebSocket-Key")
        guard keys.count == 1, let key = keys.first, Base64.decode(key)?.count == 16 else {
            return .failure(.badKey(keys.first))
        }
        return .success(acceptValue(forKey: key))
    }

    /// Whether a comma-separated field value lists `token` (ASCII case-insensitive).
    static func hasToken(_ value: String, _ token: String) -> Bool {
        value.utf8.split(separator: UInt8(ascii: ",")).contains { part in
            let trimmed = part.drop { $0 == 32 || $0 == 9 }.reversed().drop { $0 == 32 || $0 == 9 }
            return HTTPHeaders.asciiEqual(Array(trimmed.reversed()), token.utf8)
        }
    }
}
