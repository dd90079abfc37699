import JSON
import JSONRPC
import Synchronization
import Testing

@Suite struct JSONRPCEnvelopeTests {
    let server = JSONRPCServer(router: makeRouter())

    @Test func singleCall() {
        #expect(server.send(#"{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}"#)
            == #"{"jsonrpc":"2.0","id":1,"result":"0x1a4"}"#)
        #expect(server.send(#" {"method":"eth_chainId","id":"a","jsonrpc":"2.0"} "#)
            == #"{"jsonrpc":"2.0","id":"a","result":"0x1a4"}"#)
        #expect(server.send(#"{"jsonrpc":"2.0","id":2,"method":"echo","params":{"b":[1,{"c":null}],"a":"x"}}"#)
            == #"{"jsonrpc":"2.0","id":2,"result":{"b":[1,{"c":null}],"a":"x"}}"#)
        #expect(server.send(#"{"jsonrpc":"2.0","id":3,"method":"sum","params":[1,2,39],"extra":{"ignored":true}}"#)
            == #"{"jsonrpc":"2.0","id":3,"result":42}"#)
    }

    @Test func idsAreEchoedExactly() {
        let ids = [
            #""abc""#, #""a\"b\u0041\/""#, "7", "0", "-5", "1.5e3", "-0.0",
            "123456789012345678901234567890", "-123456789012345678901234567890", "null", #""""#,
        ]
        for id in ids {
            #expect(server.send(#"{"jsonrpc":"2.0","id":"# + id + #","method":"eth_chainId"}"#)
                == #"{"jsonrpc":"2.0","id":"# + id + #","result":"0x1a4"}"#, "id \(id)")
        }
        #expect(server.send(#"{"jsonrpc":"2.0","method":"eth_chainId"}"#) == "<none>", "absent id: a notification")
    }

    @Test func invalidIdTypesAreInvalidRequests() {
        for id in ["true", "false", "{}", "[1]"] {
            #expect(server.send(#"{"jsonrpc":"2.0","id":"# + id + #","method":"eth_chainId"}"#)
                == #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request: id must be a string, a number or null"}}"#)
        }
    }

    @Test func notificationsGetNoResponse() {
        #expect(server.send(#"{"jsonrpc":"2.0","method":"echo","params":[1]}"#) == "<none>")
        #expect(server.send(#"{"jsonrpc":"2.0","method":"no_such_method"}"#) == "<none>")
        #expect(server.send(#"{"jsonrpc":"2.0","method":"explode"}"#) == "<none>")
        #expect(server.send(#"{"jsonrpc":"2.0","method":"later","params":[1]}"#) == "<none>")
        #expect(server.send(#"[{"jsonrpc":"2.0","method":"echo"},{"jsonrpc":"2.0","method":"nonce"},{"jsonrpc":"2.0","method":"later","params":[5]}]"#)
            == "<none>", "a batch of notifications has no body at all")
    }

    @Test func parseErrors() {
        let invalid = [
            #"{"jsonrpc":"2.0","method":"foo","params":"bar","baz]"#,
            "", "   ", "[", #"[{"jsonrpc":"2.0","method":"sum","params":[1,2,4],"id":"1"},{"jsonrpc":"2.0","method""#,
            #"{"jsonrpc":"2.0","id":1,"method":"echo",}"#, "\u{FEFF}{}", #"{"jsonrpc":"2.0","id":01,"method":"echo"}"#,
        ]
        for body in invalid {
            let response = server.send(body)
            #expect(response.hasPrefix(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error: "#), "\(body) → \(response)")
        }
        #expect(server.send(#"{"jsonrpc":"2.0","id":1,"method":"echo",}"#)
            == #"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error: unexpected '}' at offset 40, expected a member name string"}}"#)
    }

    @Test func invalidRequestShapes() {
        func invalid(_ detail: String, id: String = "null") -> String {
            #"{"jsonrpc":"2.0","id":"# + id + #","error":{"code":-32600,"message":"invalid request: "# + detail + #""}}"#
        }
        #expect(server.send("[]") == invalid("empty batch"))
        #expect(server.send(" [ ] ") == invalid("empty batch"))
        #expect(server.send("1") == invalid("expected a request object or a batch array"))
        #expect(server.send(#""x""#) == invalid("expected a request object or a batch array"))
        #expect(server.send("null") == invalid("expected a request object or a batch array"))
        #expect(server.send("[1]") == "[" + invalid("expected a request object") + "]")
        #expect(server.send("[1,2,3]") == "[" + Array(repeating: invalid("expected a request object"), count: 3).joined(separator: ",") + "]")
        #expect(server.send(#"{"id":1,"method":"echo"}"#) == invalid(#"jsonrpc must be \"2.0\""#, id: "1"))
        #expect(server.send(#"{"jsonrpc":"1.0","id":1,"method":"echo"}"#) == invalid(#"jsonrpc must be \"2.0\""#, id: "1"))
        #expect(server.send(#"{"jsonrpc":2.0,"id":1,"method":"echo"}"#) == invalid(#"jsonrpc must be \"2.0\""#, id: "1"))
        #expect(server.send(#"{"jsonrpc":"2.0 ","id":1,"method":"echo"}"#) == invalid(#"jsonrpc must be \"2.0\""#, id: "1"))
        #expect(server.send(#"{"jsonrpc":"2.0","id":1}"#) == invalid("missing method", id: "1"))
        #expect(server.send(#"{"jsonrpc":"2.0","method":1,"params":"bar"}"#) == invalid("method must be a string"))
        #expect(server.send(#"{"jsonrpc":"2.0","id":"q","method":null}"#) == invalid("method must be a string", id: #""q""#))
        for params in [#""bar""#, "1", "true", "null"] {
            #expect(server.send(#"{"jsonrpc":"2.0","id":1,"method":"echo","params":"# + params + "}")
                == invalid("params must be an array or an object", id: "1"))
        }
        #expect(server.send("{}") == invalid(#"jsonrpc must be \"2.0\""#))
    }

    @Test func methodNotFound() {
        #expect(server.send(#"{"jsonrpc":"2.0","id":1,"method":"eth_foo"}"#)
            == #"{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"the method eth_foo does not exist/is not available"}}"#)
        #expect(server.send(#"{"jsonrpc":"2.0","id":1,"method":"e\u0063ho","params":[7]}"#)
            == #"{"jsonrpc":"2.0","id":1,"result":[7]}"#, "escaped method names are decoded before lookup")
        #expect(server.send(#"{"jsonrpc":"2.0","id":1,"method":""}"#)
            == #"{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"the method  does not exist/is not available"}}"#)
    }

    @Test func invalidParams() {
        func error(_ message: String) -> String {
            #"{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":""# + message + #""}}"#
        }
        #expect(server.send(#"{"jsonrpc":"2.0","id":1,"method":"sum","params":[1,"2"]}"#)
            == error("invalid argument 1: expected an integer, got string"))
        #expect(server.send(#"{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":[]}"#)
            == error("missing value for required argument 0"))
        #expect(server.send(#"{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":["0x00ff","latest",3]}"#)
            == error("too many arguments, want at most 2"))
        #expect(server.send(#"{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":["00ff"]}"#)
            == error("invalid argument 0: hex string without 0x prefix"))
        #expect(server.send(#"{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":["0x0ff"]}"#)
            == error("invalid argument 0: hex string of odd length"))
        #expect(server.send(#"{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":["0xzz"]}"#)
            == error("invalid argument 0: invalid hex string"))
        #expect(server.send(#"{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":{"address":"0x00"}}"#)
            == error("invalid params: expected positional arguments (an array), got named ones"))
        #expect(server.send(#"{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":["0x00ff"]}"#)
            == #"{"jsonrpc":"2.0","id":1,"result":{"bytes":2,"block":"latest"}}"#)
        #expect(server.send(#"{"jsonrpc":"2.0","id":1,"method":"blockAt","params":["0x1f"]}"#) == #"{"jsonrpc":"2.0","id":1,"result":31}"#)
        #expect(server.send(#"{"jsonrpc":"2.0","id":1,"method":"blockAt","params":["0x01"]}"#)
            == error("invalid argument 0: hex number with leading zero digits"))
        #expect(server.send(#"{"jsonrpc":"2.0","id":1,"method":"blockAt","params":["0x"]}"#)
            == error(#"invalid argument 0: hex string \"0x\""#))
        #expect(server.send(#"{"jsonrpc":"2.0","id":1,"method":"blockAt","params":["0x10000000000000000"]}"#)
            == error("invalid argument 0: hex number > 64 bits"))
        #expect(server.send(#"{"jsonrpc":"2.0","id":1,"method":"blockAt","params":[16]}"#)
            == error("invalid argument 0: expected a hex quantity string, got number"))
    }

    @Test func domainAndInternalErrors() {
        #expect(server.send(#"{"jsonrpc":"2.0","id":1,"method":"nonce"}"#)
            == #"{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"nonce too low","data":{"expected":5,"got":3}}}"#)
        #expect(server.send(#"{"jsonrpc":"2.0","id":1,"method":"poor"}"#)
            == #"{"jsonrpc":"2.0","id":1,"error":{"code":-32003,"message":"insufficient funds for gas * price + value"}}"#)
        #expect(server.send(#"{"jsonrpc":"2.0","id":1,"method":"fail"}"#)
            == #"{"jsonrpc":"2.0","id":1,"error":{"code":-32050,"message":"custom failure"}}"#)
        #expect(server.send(#"{"jsonrpc":"2.0","id":1,"method":"explode"}"#)
            == #"{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"internal error"}}"#)
    }

    @Test func internalErrorsAreReportedButNotLeaked() {
        let seen = ReportLog()
        let server = JSONRPCServer(router: makeRouter()) { method, error in seen.add("\(method): \(error)") }
        let response = server.send(#"{"jsonrpc":"2.0","id":1,"method":"explode"}"#)
        #expect(!response.contains("vda"))
        #expect(seen.entries == ["explode: disk /dev/vda exploded at /var/lib/secret"])
        _ = server.send(#"{"jsonrpc":"2.0","id":1,"method":"nonce"}"#)
        #expect(seen.entries.count == 1, "domain errors are not internal")
    }

    @Test func errorMappingIsInOnePlace() {
        #expect(JSONRPCError(AdmissionError.insufficientFunds).code == -32003)
        #expect(JSONRPCError(SecretInternalFailure()) == .internalError)
        #expect(JSONRPCError(JSONRPCParamsError.missing(index: 2)).message == "missing value for required argument 2")
        #expect(JSONRPCError(JSONRPCError.methodNotFound("x")).code == -32601)
    }

    @Test func contextReachesHandlers() {
        let body = #"{"jsonrpc":"2.0","id":9,"method":"admin_pause"}"#
        #expect(server.send(body, context: JSONRPCRequestContext(authorization: "Bearer s3cret"))
            == #"{"jsonrpc":"2.0","id":9,"result":true}"#)
        #expect(server.send(body, context: JSONRPCRequestContext(authorization: "Bearer wrong"))
            == #"{"jsonrpc":"2.0","id":9,"error":{"code":-32001,"message":"unauthorized"}}"#)
        #expect(server.send(body) == #"{"jsonrpc":"2.0","id":9,"error":{"code":-32001,"message":"unauthorized"}}"#)
    }

    @Test func synchronousAnswersCompleteBeforeHandleReturns() {
        let reply = Reply()
        server.handle(body: Array(#"{"jsonrpc":"2.0","id":1,"method":"sum","params":[1]}"#.utf8), completion: reply.completion)
        #expect(reply.calls == 1)
        let batch = Reply()
        server.handle(body: Array(#"[{"jsonrpc":"2.0","id":1,"method":"sum","params":[1]},{"jsonrpc":"2.0","method":"sum"}]"#.utf8),
                      completion: batch.completion)
        #expect(batch.calls == 1)
    }

    @Test func idValues() throws {
        #expect(JSONRPCID("a\"b").json == #""a\"b""#)
        #expect(JSONRPCID("a\"b").value == .string("a\"b"))
        #expect(JSONRPCID(42).json == "42")
        #expect(JSONRPCID(42).kind == .number)
        #expect(JSONRPCID.null.value == .null)
    }

    @Test func methodNamesAreListed() {
        #expect(server.methodNames == makeRouter().methodNames)
        #expect(server.methodNames.contains("eth_chainId"))
        #expect(server.methodNames == server.methodNames.sorted())
    }

    @Test func bodySizeLimit() {
        let small = JSONRPCServer(router: makeRouter(), configuration: .init(limits: JSONLimits(maxInputSize: 40)))
        #expect(small.send(#"{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}"#)
            == #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request: body of 47 bytes exceeds the limit of 40"}}"#)
    }

    @Test func deepParamsAreAParseErrorNotACrash() {
        let deep = String(repeating: "[", count: 100_000)
        let response = server.send(#"{"jsonrpc":"2.0","id":1,"method":"echo","params":"# + deep)
        #expect(response.hasPrefix(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error: nesting deeper than 64"#))
    }
}

final class ReportLog: Sendable {
    private let lines = Mutex<[String]>([])
    func add(_ s: String) { lines.withLock { $0.append(s) } }
    var entries: [String] { lines.withLock { $0 } }
}
