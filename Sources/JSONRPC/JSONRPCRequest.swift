import JSON

/// One entry of a request body after envelope validation, before dispatch.
///
/// Invariant: when `problem` is set the entry is answered with that error
/// (id `null` unless a valid id was read) and never dispatched.
struct JSONRPCRequest {
    enum Method {
        case absent
        case notAString
        case known(Int)
        case unknown(String)
    }

    /// The id member, nil when absent (a notification).
    var id: JSONRPCID?
    var method: Method = .absent
    var params: JSONValue?
    var problem: JSONRPCError?
}

/// A whole request body: one request, a batch, or an error answered in place of both.
enum JSONRPCEnvelope {
    case single(JSONRPCRequest)
    case batch([JSONRPCRequest])
    case failure(JSONRPCError)

    /// Reads and validates a body. Parse errors anywhere (even deep in a batch)
    /// fail the whole body with -32700, before anything is dispatched.
    static func parse(_ body: UnsafeRawBufferPointer, table: MethodTable, limits: JSONLimits, maxBatchSize: Int) -> JSONRPCEnvelope {
        guard body.count <= limits.maxInputSize else {
            return .failure(.invalidRequest("body of \(body.count) bytes exceeds the limit of \(limits.maxInputSize)"))
        }
        var reader = JSONReader(body, limits: limits)
        do throws(JSONParseError) {
            switch reader.peek() {
            case UInt8(ascii: "{"):
                let request = try readRequest(&reader, table: table)
                try reader.finish()
                return .single(request)
            case UInt8(ascii: "["):
                var requests: [JSONRPCRequest] = []
                var count = 0
                try reader.readArray { (r) throws(JSONParseError) in
                    count += 1
                    if count <= maxBatchSize {
                        requests.append(try readRequest(&r, table: table))
                    } else {
                        try r.skipValue()
                    }
                }
                try reader.finish()
                if count == 0 { return .failure(.invalidRequest("empty batch")) }
                if count > maxBatchSize {
                    return .failure(.invalidRequest("batch of \(count) requests exceeds the limit of \(maxBatchSize)"))
                }
                return .batch(requests)
            default:
                try reader.skipValue()
                try reader.finish()
                return .failure(.invalidRequest("expected a request object or a batch array"))
            }
        } catch {
            return .failure(.parseError(error.description))
        }
    }

    private enum Member {
        case jsonrpc, id, method, params, other
    }

    private static func classify(_ key: UnsafeRawBufferPointer) -> Member {
        switch key.count {
        case 2 where key[0] == UInt8(ascii: "i") && key[1] == UInt8(ascii: "d"): .id
        case 6 where matches(key, "method"): .method
        case 6 where matches(key, "params"): .params
        case 7 where matches(key, "jsonrpc"): .jsonrpc
        default: .other
        }
    }

    private static func matches(_ key: UnsafeRawBufferPointer, _ word: StaticString) -> Bool {
        let w = word.utf8Start
        for i in 0..<key.count where key[i] != w[i] { return false }
        return true
    }

    /// Reads one batch entry or single request; a non-object entry is an invalid request.
    private static func readRequest(_ reader: inout JSONReader, table: MethodTable) throws(JSONParseError) -> JSONRPCRequest {
        var request = JSONRPCRequest()
        guard reader.peek() == UInt8(ascii: "{") else {
            try reader.skipValue()
            request.problem = .invalidRequest("expected a request object")
            return request
        }
        var version = false
        var badID = false
        var badParams = false
        try reader.readObject(key: classify) { (member, r) throws(JSONParseError) in
            switch member {
            case .jsonrpc:
                if r.peek() == UInt8(ascii: "\"") {
                    version = try r.readString { $0.count == 3 && $0[0] == 0x32 && $0[1] == 0x2E && $0[2] == 0x30 }
                } else {
                    try r.skipValue()
                    version = false
                }
            case .id:
                let first = r.peek() ?? 0
                let span = try r.skipValue()
                let text = String(decoding: UnsafeRawBufferPointer(rebasing: r.bytes[span]), as: UTF8.self)
                badID = false
                switch first {
                case UInt8(ascii: "\""): request.id = JSONRPCID(kind: .string, json: text)
                case UInt8(ascii: "n"): request.id = .null
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): request.id = JSONRPCID(kind: .number, json: text)
                default:
                    request.id = nil
                    badID = true
                }
            case .method:
                if r.peek() == UInt8(ascii: "\"") {
                    request.method = try r.readString { name in
                        if let i = table.lookup(name) { return .known(i) }
                        return .unknown(String(decoding: name, as: UTF8.self))
                    }
                } else {
                    try r.skipValue()
                    request.method = .notAString
                }
            case .params:
                let first = r.peek()
                if first == UInt8(ascii: "[") || first == UInt8(ascii: "{") {
                    request.params = try r.readValue()
                    badParams = false
                } else {
                    try r.skipValue()
                    request.params = nil
                    badParams = true
                }
            case .other:
                try r.skipValue()
            }
        }
        if badID {
            request.problem = .invalidRequest("id must be a string, a number or null")
        } else if !version {
            request.problem = .invalidRequest("jsonrpc must be \"2.0\"")
        } else if case .absent = request.method {
            request.problem = .invalidRequest("missing method")
        } else if case .notAString = request.method {
            request.problem = .invalidRequest("method must be a string")
        } else if badParams {
            request.problem = .invalidRequest("params must be an array or an object")
        }
        return request
    }
}
