import HTTP

/// Serves a `JSONRPCServer` over HTTP: the body of a POST is one JSON-RPC
/// request or batch; the answer is `200 application/json`, or `204` when the
/// body held only notifications. The request's `Authorization` header and
/// its event loop reach handlers through the call context.
public struct JSONRPCHTTPResponder: HTTPResponder {
    public let server: JSONRPCServer

    public init(server: JSONRPCServer) {
        self.server = server
    }

    public func respond(to request: HTTPRequest, writer: HTTPResponseWriter) {
        guard request.method == .post else {
            writer.send(.error(.methodNotAllowed, message: "JSON-RPC takes POST"))
            return
        }
        let context = JSONRPCRequestContext(authorization: request.headers["Authorization"], metadata: writer.eventLoop)
        server.handle(body: request.body, context: context) { body in
            if let body {
                writer.send(HTTPResponse(status: .ok, headers: ["Content-Type": "application/json"], body: body))
            } else {
                writer.send(HTTPResponse(status: .noContent))
            }
        }
    }
}
