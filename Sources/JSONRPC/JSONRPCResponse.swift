import JSON

/// Writes response envelopes by hand: `{"jsonrpc":"2.0","id":…,"result":…}` or
/// `{"jsonrpc":"2.0","id":…,"error":{"code":…,"message":…,"data":…}}`.
enum JSONRPCResponse {
    static func bytes(id: JSONRPCID, result: JSONRPCResult) -> [UInt8] {
        let capacity: Int
        switch result {
        case .raw(let fragment): capacity = 48 + id.json.utf8.count + fragment.count
        case .success, .failure: capacity = 128
        }
        var w = JSONWriter(capacity: capacity)
        w.appendRaw("{\"jsonrpc\":\"2.0\",\"id\":")
        w.appendUTF8(id.json)
        switch result {
        case .success(let value):
            w.appendRaw(",\"result\":")
            w.writeValue(value)
        case .raw(let fragment):
            w.appendRaw(",\"result\":")
            w.writeRaw(fragment)
        case .failure(let error):
            w.appendRaw(",\"error\":")
            w.writeObject { o in
                o.writeKey("code")
                o.writeInt(error.code)
                o.writeKey("message")
                o.writeString(error.message)
                if let data = error.data {
                    o.writeKey("data")
                    o.writeValue(data)
                }
            }
        }
        w.appendRaw("}")
        return w.bytes
    }

    static func error(_ error: JSONRPCError, id: JSONRPCID?) -> [UInt8] {
        bytes(id: id ?? .null, result: .failure(error))
    }

    /// Joins the non-nil responses of a batch into an array in request order;
    /// nil when every entry was a notification.
    static func batch(_ responses: [[UInt8]?]) -> [UInt8]? {
        var total = 1
        var any = false
        for r in responses {
            if let r {
                total += r.count + 1
                any = true
            }
        }
        guard any else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(total)
        out.append(UInt8(ascii: "["))
        for r in responses {
            guard let r else { continue }
            if out.count > 1 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: r)
        }
        out.append(UInt8(ascii: "]"))
        return out
    }
}
