/// Cross-origin resource sharing, as a server option: every response carries
/// `Access-Control-Allow-Origin`, and preflight requests (`OPTIONS` with
/// `Access-Control-Request-Method`) are answered `204` by the server itself,
/// without reaching the responder. Browsers' wallets and dapps need this to
/// call the JSON-RPC endpoint from another origin.
public struct CORSConfiguration: Sendable {
    /// The value of `Access-Control-Allow-Origin`: `*` or one origin.
    public var allowOrigin: String
    public var allowMethods: [HTTPMethod]
    public var allowHeaders: [String]
    /// How long browsers may cache a preflight answer.
    public var maxAge: Duration

    public init(allowOrigin: String = "*", allowMethods: [HTTPMethod] = [.get, .post, .options],
                allowHeaders: [String] = ["Content-Type", "Authorization"], maxAge: Duration = .seconds(86_400)) {
        self.allowOrigin = allowOrigin
        self.allowMethods = allowMethods
        self.allowHeaders = allowHeaders
        self.maxAge = maxAge
    }

    /// Whether `request` is a preflight the server answers itself.
    func isPreflight(_ request: HTTPRequest) -> Bool {
        request.method == .options && request.headers.contains("Access-Control-Request-Method")
    }

    /// Fields added to every response.
    var responseHeaders: HTTPHeaders {
        var headers: HTTPHeaders = ["Access-Control-Allow-Origin": allowOrigin]
        if allowOrigin != "*" { headers.add(name: "Vary", value: "Origin") }
        return headers
    }

    /// The `204` answer to a preflight (the origin field comes from ``responseHeaders``).
    var preflightResponse: HTTPResponse {
        let headers: HTTPHeaders = [
            "Access-Control-Allow-Methods": allowMethods.map(\.rawValue).joined(separator: ", "),
            "Access-Control-Allow-Headers": allowHeaders.joined(separator: ", "),
            "Access-Control-Max-Age": String(maxAge.components.seconds),
        ]
        return HTTPResponse(status: .noContent, headers: headers)
    }
}
