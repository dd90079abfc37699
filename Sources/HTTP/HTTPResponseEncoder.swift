/// Serialises response heads, bodies and chunk framing straight into a
/// connection's output buffer, so a response costs no allocation of its own.
enum HTTPResponseEncoder {
    /// How the body's end is signalled.
    enum Framing {
        case contentLength(Int)
        case chunked
        /// The body ends when the connection closes (streams to HTTP/1.0 clients).
        case closeDelimited
    }

    /// The `Connection` field to write.
    enum ConnectionField {
        case none
        case close
        case keepAlive
        /// `Connection: Upgrade`, for `101 Switching Protocols`.
        case upgrade
    }

    static let continueResponse: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
    static let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)

    /// Appends a complete response. With `omitBody` (HEAD requests) the head
    /// still announces the body's length.
    static func appendResponse(_ response: HTTPResponse, omitBody: Bool, connection: ConnectionField,
                               common: [UInt8], into out: inout [UInt8]) {
        let sendsBody = !response.status.forbidsBody
        appendHead(status: response.status, headers: response.headers,
                   framing: sendsBody ? .contentLength(response.body.count) : nil,
                   connection: connection, common: common, into: &out)
        if sendsBody && !omitBody { out.append(contentsOf: response.body) }
    }

    /// Appends the status line, the common and given fields, the framing and
    /// connection fields, and the blank line. `framing == nil` writes no length (204, 304).
    static func appendHead(status: HTTPStatus, headers: HTTPHeaders, framing: Framing?, connection: ConnectionField,
                           common: [UInt8], into out: inout [UInt8]) {
        out.append(contentsOf: "HTTP/1.1 ".utf8)
        appendDecimal(status.code, into: &out)
        out.append(32)
        out.append(contentsOf: status.reasonPhrase.utf8)
        out.append(13)
        out.append(10)
        out.append(contentsOf: common)
        headers.write(into: &out)
        switch framing {
        case .contentLength(let length):
            out.append(contentsOf: "Content-Length: ".utf8)
            appendDecimal(length, into: &out)
            out.append(13)
            out.append(10)
        case .chunked:
            out.append(contentsOf: "Transfer-Encoding: chunked\r\n".utf8)
        case .closeDelimited, nil:
            break
        }
        switch connection {
        case .none: break
        case .close: out.append(contentsOf: "Connection: close\r\n".utf8)
        case .keepAlive: out.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        case .upgrade: out.append(contentsOf: "Connection: Upgrade\r\n".utf8)
        }
        out.append(13)
        out.append(10)
    }

    /// Appends one chunk of a chunked body: hex size, CRLF, data, CRLF.
    static func appendChunk(_ bytes: [UInt8], into out: inout [UInt8]) {
        appendHex(bytes.count, into: &out)
        out.append(13)
        out.append(10)
        out.append(contentsOf: bytes)
        out.append(13)
        out.append(10)
    }

    static func appendDecimal(_ value: Int, into out: inout [UInt8]) {
        if value < 10 {
            out.append(UInt8(48 + value))
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            while rest > 0 {
                count += 1
                buffer[20 - count] = UInt8(48 + rest % 10)
                rest /= 10
            }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(20 - count)...]))
        }
    }

    static func appendHex(_ value: Int, into out: inout [UInt8]) {
        var shift = 60
        while shift > 0 && (value >> shift) & 0xF == 0 { shift -= 4 }
        while shift >= 0 {
            let nibble = UInt8((value >> shift) & 0xF)
            out.append(nibble < 10 ? 48 + nibble : 87 + nibble)
            shift -= 4
        }
    }
}
