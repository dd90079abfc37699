import Glibc
import HTTP
import JSON
import JSONRPC

/// Serves JSON-RPC on POST / until SIGINT/SIGTERM, for `scripts/bench-http`
/// to load with wrk against nginx: the real parser, method table and writer
/// answer `eth_chainId`. `--static` answers with a canned body instead, to
/// measure the transport alone.
///
///     swift run -c release bench http-server [--port P] [--loops N] [--host H] [--static]
func runHTTPServerBench() {
    let arguments = CommandLine.arguments
    func value(_ flag: String) -> String? {
        guard let index = arguments.firstIndex(of: flag), index + 1 < arguments.count else { return nil }
        return arguments[index + 1]
    }
    var configuration = HTTPServer.Configuration(host: value("--host") ?? "127.0.0.1",
                                                 port: value("--port").flatMap(Int.init) ?? 8080,
                                                 eventLoopCount: value("--loops").flatMap(Int.init) ?? 1)
    configuration.serverName = "sequencer"
    let server: HTTPServer
    if arguments.contains("--static") {
        server = HTTPServer(configuration: configuration, responder: ChainIDResponder())
    } else {
        var router = JSONRPCRouter()
        router.register("eth_chainId") { _ in .success(.string("0x7a69")) }
        server = HTTPServer(configuration: configuration, responder: JSONRPCHTTPResponder(server: JSONRPCServer(router: router)))
    }
    do {
        try server.start()
    } catch {
        print("  http-server: cannot start: \(error)")
        return
    }
    server.shutdownOnSignals()
    print("  http-server: listening on \(server.localAddress.map(String.init(describing:)) ?? "?") with \(configuration.eventLoopCount) loop(s); SIGINT/SIGTERM stops")
    fflush(nil)
    server.waitUntilShutdown()
    let stats = server.statistics
    print("  http-server: stopped after \(stats.requests) requests on \(stats.acceptedConnections) connections")
}

/// Answers every POST / with `eth_chainId`'s result, bypassing JSON-RPC.
private struct ChainIDResponder: HTTPResponder {
    let answer = HTTPResponse.json(.ok, #"{"jsonrpc":"2.0","id":1,"result":"0x7a69"}"#)
    let notFound = HTTPResponse.error(.notFound, message: "not found")
    let notAllowed = HTTPResponse.error(.methodNotAllowed, message: "method not allowed")

    func respond(to request: HTTPRequest, writer: HTTPResponseWriter) {
        guard request.path == "/" else { return writer.send(notFound) }
        guard request.method == .post else { return writer.send(notAllowed) }
        writer.send(answer)
    }
}
