import HTTP

/// Serves a `JSONRPCServer` over HTTP: the body of a POST is one JSON-RPC
/// request or batch; the answer is `200 application/json`, or `204` when the
/// body held only notifications. The request's `Authorization` header and
/// its event loop reach handlers through the call context.
public struct JSONRPCHTTPResponder: HTTPResponder {
    public let server: JSONRPCServer

    /// How the server's answer to a body that is not JSON at all begins; such a body gets 400.
    static let parseErrorPrefix = Array(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700"#.utf8)
    /// How the answer to a lone request object without a usable id that is not a JSON-RPC request begins.
    static let invalidRequestPrefix = Array(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32600"#.utf8)

    public init(server: JSONRPCServer) {
        self.server = server
    }

    public func respond(to request: HTTPRequest, writer: HTTPResponseWriter) {
        guard request.method == .post else {
            var refusal = HTTPResponse.error(.methodNotAllowed, message: "JSON-RPC takes POST")
            refusal.headers.add(name: "Allow", value: "POST, OPTIONS")
            writer.send(refusal)
            return
        }
        guard !request.body.isEmpty else {
            writer.send(HTTPResponse(status: .badRequest, headers: ["Content-Type": "application/json"],
                                     body: Array(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error: the request body is empty"}}"#.utf8)))
            return
        }
        let context = JSONRPCRequestContext(authorization: request.headers["Authorization"], metadata: writer.eventLoop)
        server.handle(body: request.body, context: context) { body in
            if let body {
                let status: HTTPStatus = body.starts(with: Self.parseErrorPrefix) || body.starts(with: Self.invalidRequestPrefix) ? .badRequest : .ok
                writer.send(HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: body))
            } else {
                writer.send(HTTPResponse(status: .noContent))
            }
        }
    }
}
