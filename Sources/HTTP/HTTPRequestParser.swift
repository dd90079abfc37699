import Glibc

/// An incremental HTTP/1.0 and 1.1 request parser.
///
/// A value with one `mutating` call per input chunk: ``parse(_:)`` consumes
/// bytes up to the next event (a complete request, a `100 Continue` to send, or
/// an error) and reports how many it took, so the caller can stop between
/// pipelined requests and keep the rest for later. Input may be split anywhere;
/// each byte is copied once, into the request that owns it.
///
/// It enforces the head and body size limits and RFC 9112's framing rules
/// (Content-Length vs. chunked, Host, versions). After an error it stays
/// failed: the connection must answer and close.
public struct HTTPRequestParser: Sendable {
    /// Size limits; exceeding them yields 431 and 413.
    public struct Limits: Sendable, Equatable {
        /// Bytes of the request line plus header lines (and, separately, of trailers).
        public var maxHeaderBytes: Int
        /// Bytes of the decoded body.
        public var maxBodyBytes: Int

        public init(maxHeaderBytes: Int = 16 * 1024, maxBodyBytes: Int = 1 << 20) {
            self.maxHeaderBytes = maxHeaderBytes
            self.maxBodyBytes = maxBodyBytes
        }
    }

    /// What a call to ``parse(_:)`` produced.
    public enum Event: Sendable {
        /// A complete request.
        case request(HTTPRequest)
        /// The head asked for `Expect: 100-continue` and a body follows: send `100 Continue`.
        case continueNeeded
        /// The request is invalid; the parser accepts no more input.
        case error(HTTPParseError)
    }

    private enum State: Sendable, Equatable {
        case head
        case body(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd(sawCR: Bool)
        case trailers
        case failed(HTTPParseError)
    }

    private struct RequestLine: Sendable {
        var method: HTTPMethod
        var targetStart: Int
        var targetEnd: Int
        var version: HTTPVersion
    }

    private static let maxChunkLineBytes = 1024
    private static let maxBlankLinesBeforeRequest = 8
    private static let initialHeadCapacity = 1024

    public let limits: Limits
    private var state: State = .head
    private var head: [UInt8] = []
    private var lineStart = 0
    private var fields: [HTTPHeaders.Field] = []
    private var requestLine: RequestLine?
    private var blankLinesSkipped = 0
    private var keepAlive = true
    private var body: [UInt8] = []
    private var chunkLine: [UInt8] = []
    private var trailerBytes: [UInt8] = []
    private var trailerFields: [HTTPHeaders.Field] = []
    private var trailerLineStart = 0

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// True between requests: no byte of the next request has been consumed.
    public var isIdle: Bool {
        state == .head && head.isEmpty && blankLinesSkipped == 0
    }

    /// True once a head is complete and its body is still arriving.
    public var isReadingBody: Bool {
        switch state {
        case .body, .chunkSize, .chunkData, .chunkDataEnd, .trailers: true
        case .head, .failed: false
        }
    }

    /// Consumes `input` up to and including the next event. Returns how many
    /// bytes were taken and the event, or nil when all of `input` was taken
    /// and more is needed. Call again with the rest after an event.
    public mutating func parse(_ input: UnsafeRawBufferPointer) -> (consumed: Int, event: Event?) {
        var offset = 0
        while offset < input.count {
            switch state {
            case .head:
                let (end, event) = parseHead(input, from: offset)
                offset = end
                if let event { return (offset, event) }
            case .body(let remaining):
                let n = min(remaining, input.count - offset)
                body.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[offset..<offset + n]))
                offset += n
                if n == remaining { return (offset, .request(finishRequest())) }
                state = .body(remaining: remaining - n)
            case .chunkSize:
                let (used, result) = Self.appendLine(input, from: offset, to: &chunkLine, limit: Self.maxChunkLineBytes)
                offset += used
                switch result {
                case .tooLong: return (offset, fail(.malformedChunk))
                case .partial: break
                case .complete: if let error = parseChunkSize() { return (offset, fail(error)) }
                }
            case .chunkData(let remaining):
                let n = min(remaining, input.count - offset)
                body.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[offset..<offset + n]))
                offset += n
                state = n == remaining ? .chunkDataEnd(sawCR: false) : .chunkData(remaining: remaining - n)
            case .chunkDataEnd(let sawCR):
                let byte = input[offset]
                offset += 1
                if byte == 13 && !sawCR {
                    state = .chunkDataEnd(sawCR: true)
                } else if byte == 10 {
                    state = .chunkSize
                } else {
                    return (offset, fail(.malformedChunk))
                }
            case .trailers:
                let (end, event) = parseTrailers(input, from: offset)
                offset = end
                if let event { return (offset, event) }
            case .failed(let error):
                return (input.count, .error(error))
            }
        }
        return (offset, nil)
    }

    private mutating func fail(_ error: HTTPParseError) -> Event {
        state = .failed(error)
        return .error(error)
    }

    /// Consumes head lines from `start`; returns the offset reached and any event.
    private mutating func parseHead(_ input: UnsafeRawBufferPointer, from start: Int) -> (Int, Event?) {
        var offset = start
        while offset < input.count {
            if head.capacity == 0 { head.reserveCapacity(min(Self.initialHeadCapacity, limits.maxHeaderBytes)) }
            let (used, result) = Self.appendLine(input, from: offset, to: &head, limit: limits.maxHeaderBytes)
            offset += used
            switch result {
            case .tooLong: return (offset, fail(.headerTooLarge))
            case .partial: return (offset, nil)
            case .complete: break
            }
            let lineEnd = Self.contentEnd(head, from: lineStart)
            if requestLine == nil {
                if lineEnd == lineStart {
                    blankLinesSkipped += 1
                    if blankLinesSkipped > Self.maxBlankLinesBeforeRequest { return (offset, fail(.malformedRequestLine)) }
                    head.removeAll(keepingCapacity: true)
                    continue
                }
                switch parseRequestLine(end: lineEnd) {
                case .success(let line): requestLine = line
                case .failure(let error): return (offset, fail(error))
                }
            } else if lineEnd == lineStart {
                return (offset, finishHead())
            } else {
                guard let field = head.withUnsafeBufferPointer({ Self.parseField($0, start: lineStart, end: lineEnd) }) else {
                    return (offset, fail(.malformedHeader))
                }
                if fields.capacity == 0 { fields.reserveCapacity(16) }
                fields.append(field)
            }
            lineStart = head.count
        }
        return (offset, nil)
    }

    /// Consumes trailer lines from `start`; returns the offset reached and any event.
    private mutating func parseTrailers(_ input: UnsafeRawBufferPointer, from start: Int) -> (Int, Event?) {
        var offset = start
        while offset < input.count {
            let (used, result) = Self.appendLine(input, from: offset, to: &trailerBytes, limit: limits.maxHeaderBytes)
            offset += used
            switch result {
            case .tooLong: return (offset, fail(.headerTooLarge))
            case .partial: return (offset, nil)
            case .complete: break
            }
            let lineEnd = Self.contentEnd(trailerBytes, from: trailerLineStart)
            if lineEnd == trailerLineStart { return (offset, .request(finishRequest())) }
            guard let field = trailerBytes.withUnsafeBufferPointer({ Self.parseField($0, start: trailerLineStart, end: lineEnd) }) else {
                return (offset, fail(.malformedHeader))
            }
            trailerFields.append(field)
            trailerLineStart = trailerBytes.count
        }
        return (offset, nil)
    }

    private mutating func parseRequestLine(end: Int) -> Result<RequestLine, HTTPParseError> {
        let start = lineStart
        return head.withUnsafeBufferPointer { bytes -> Result<RequestLine, HTTPParseError> in
            guard let space1 = bytes[start..<end].firstIndex(of: 32), space1 > start,
                  let space2 = bytes[(space1 + 1)..<end].firstIndex(of: 32), space2 > space1 + 1 else {
                return .failure(.malformedRequestLine)
            }
            for i in start..<space1 where !Self.isTokenByte(bytes[i]) { return .failure(.malformedRequestLine) }
            for i in (space1 + 1)..<space2 where bytes[i] <= 32 || bytes[i] >= 127 { return .failure(.malformedRequestLine) }
            let v = space2 + 1
            guard end - v == 8, bytes[v] == 72, bytes[v + 1] == 84, bytes[v + 2] == 84, bytes[v + 3] == 80, bytes[v + 4] == 47,
                  bytes[v + 6] == 46, bytes[v + 5] &- 48 < 10, bytes[v + 7] &- 48 < 10 else {
                return .failure(.malformedRequestLine)
            }
            let version = HTTPVersion(major: Int(bytes[v + 5] - 48), minor: Int(bytes[v + 7] - 48))
            guard version == .http1_1 || version == .http1_0 else { return .failure(.unsupportedVersion) }
            guard let method = HTTPMethod(token: UnsafeBufferPointer(rebasing: bytes[start..<space1])) else {
                return .failure(.unsupportedMethod)
            }
            return .success(RequestLine(method: method, targetStart: space1 + 1, targetEnd: space2, version: version))
        }
    }

    /// Interprets the framing fields; returns the request when there is no body,
    /// nil when a body follows silently.
    private mutating func finishHead() -> Event? {
        guard let line = requestLine else { return fail(.malformedRequestLine) }
        var hosts = 0
        var contentLength: Int?
        var transferEncodings = 0
        var chunkedCount = 0
        var otherCodings = 0
        var connectionClose = false
        var connectionKeepAlive = false
        var expectsContinue = false
        let fieldError: HTTPParseError? = head.withUnsafeBufferPointer { bytes in
            for field in fields {
                let name = UnsafeBufferPointer(rebasing: bytes[Int(field.nameStart)..<Int(field.nameEnd)])
                let value = UnsafeBufferPointer(rebasing: bytes[Int(field.valueStart)..<Int(field.valueEnd)])
                switch name.count {
                case 4 where HTTPHeaders.lowercaseEquals(name, "host"):
                    hosts += 1
                case 6 where HTTPHeaders.lowercaseEquals(name, "expect"):
                    guard HTTPHeaders.lowercaseEquals(value, "100-continue") else { return .unsupportedExpectation }
                    expectsContinue = true
                case 10 where HTTPHeaders.lowercaseEquals(name, "connection"):
                    Self.forEachElement(value) { element in
                        if HTTPHeaders.lowercaseEquals(element, "close") { connectionClose = true }
                        if HTTPHeaders.lowercaseEquals(element, "keep-alive") { connectionKeepAlive = true }
                    }
                case 14 where HTTPHeaders.lowercaseEquals(name, "content-length"):
                    var invalid = false
                    var conflicting = false
                    var elements = 0
                    Self.forEachElement(value) { element in
                        elements += 1
                        guard let n = Self.parseDecimal(element) else { invalid = true; return }
                        if let previous = contentLength, previous != n { conflicting = true }
                        contentLength = n
                    }
                    if invalid || elements == 0 { return .invalidContentLength }
                    if conflicting { return .conflictingContentLength }
                case 17 where HTTPHeaders.lowercaseEquals(name, "transfer-encoding"):
                    Self.forEachElement(value) { element in
                        transferEncodings += 1
                        if HTTPHeaders.lowercaseEquals(element, "chunked") { chunkedCount += 1 } else { otherCodings += 1 }
                    }
                    if transferEncodings == 0 { transferEncodings = -1 }
                default:
                    break
                }
            }
            return nil
        }
        if let fieldError { return fail(fieldError) }
        if hosts > 1 || (line.version == .http1_1 && hosts == 0) { return fail(.invalidHost) }
        keepAlive = line.version == .http1_1 ? !connectionClose : (connectionKeepAlive && !connectionClose)

        if transferEncodings != 0 {
            if contentLength != nil { return fail(.contentLengthWithTransferEncoding) }
            if otherCodings > 0 { return fail(.unsupportedTransferEncoding) }
            if chunkedCount != 1 || transferEncodings < 0 { return fail(.malformedTransferEncoding) }
            state = .chunkSize
        } else if let length = contentLength, length > 0 {
            if length > limits.maxBodyBytes { return fail(.bodyTooLarge) }
            body.reserveCapacity(length)
            state = .body(remaining: length)
        } else {
            return .request(finishRequest())
        }
        return expectsContinue && line.version == .http1_1 ? .continueNeeded : nil
    }

    private mutating func parseChunkSize() -> HTTPParseError? {
        let end = Self.contentEnd(chunkLine, from: 0)
        var size = 0
        var digits = 0
        var index = 0
        while index < end, let digit = Self.hexValue(chunkLine[index]) {
            if digits == 15 { return .bodyTooLarge }
            size = size &* 16 &+ digit
            digits += 1
            index += 1
        }
        guard digits > 0 else { return .malformedChunk }
        while index < end && (chunkLine[index] == 32 || chunkLine[index] == 9) { index += 1 }
        if index < end && chunkLine[index] != 59 { return .malformedChunk }
        chunkLine.removeAll(keepingCapacity: true)
        if size > limits.maxBodyBytes - body.count { return .bodyTooLarge }
        state = size == 0 ? .trailers : .chunkData(remaining: size)
        return nil
    }

    private mutating func finishRequest() -> HTTPRequest {
        let line = requestLine!
        let target = head.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[line.targetStart..<line.targetEnd]), as: UTF8.self)
        }
        let trailers = trailerFields.isEmpty ? HTTPHeaders() : HTTPHeaders(parsed: trailerBytes, fields: trailerFields)
        let request = HTTPRequest(method: line.method, target: target, version: line.version,
                                  headers: HTTPHeaders(parsed: head, fields: fields), trailers: trailers,
                                  body: body, keepAlive: keepAlive)
        state = .head
        head = []
        fields = []
        body = []
        trailerBytes = []
        trailerFields = []
        lineStart = 0
        trailerLineStart = 0
        requestLine = nil
        blankLinesSkipped = 0
        keepAlive = true
        return request
    }
}
