/// A complete response: status, headers and body.
///
/// The server writes `Content-Length`, `Connection`, `Server` (and `Date` when
/// configured) itself; those set here for framing are ignored.
public struct HTTPResponse: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A response with `Content-Type: application/json` and `json` as its body.
    public static func json(_ status: HTTPStatus = .ok, _ json: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: Array(json.utf8))
    }

    /// A short JSON error body, `{"error":"…"}`, as sent for refused requests.
    public static func error(_ status: HTTPStatus, message: String) -> HTTPResponse {
        var escaped = ""
        for scalar in message.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case _ where scalar.value < 0x20: escaped += " "
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return .json(status, "{\"error\":\"\(escaped)\"}")
    }
}
