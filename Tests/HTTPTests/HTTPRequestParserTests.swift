import HTTP
import XCTest

/// What a parser run produced, in a comparable form.
private enum Outcome: Equatable, CustomStringConvertible {
    case request(method: String, target: String, version: String, headers: [String], body: [UInt8], trailers: [String], keepAlive: Bool)
    case continueNeeded
    case error(HTTPParseError)

    init(_ event: HTTPRequestParser.Event) {
        switch event {
        case .request(let r):
            self = .request(method: r.method.rawValue, target: r.target, version: r.version.description,
                            headers: r.headers.map { "\($0.name)=\($0.value)" }, body: r.body,
                            trailers: r.trailers.map { "\($0.name)=\($0.value)" }, keepAlive: r.keepAlive)
        case .continueNeeded:
            self = .continueNeeded
        case .error(let e):
            self = .error(e)
        }
    }

    var description: String {
        switch self {
        case .request(let m, let t, let v, let h, let b, let tr, let k):
            "\(m) \(t) \(v) \(h) body=\(String(decoding: b, as: UTF8.self)) trailers=\(tr) keepAlive=\(k)"
        case .continueNeeded: "100-continue"
        case .error(let e): "error(\(e))"
        }
    }
}

/// Feeds `input` in the given chunks, as a connection would, stopping at the first error.
private func feed(_ input: [UInt8], chunks sizes: [Int], limits: HTTPRequestParser.Limits = .init()) -> [Outcome] {
    var parser = HTTPRequestParser(limits: limits)
    var outcomes: [Outcome] = []
    var start = 0
    for size in sizes {
        let chunk = Array(input[start..<start + size])
        start += size
        var offset = 0
        let failed: Bool = chunk.withUnsafeBytes { bytes in
            while offset < bytes.count {
                let (used, event) = parser.parse(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
                precondition(used <= bytes.count - offset, "consumed more than given")
                offset += used
                guard let event else { break }
                outcomes.append(Outcome(event))
                if case .error = event { return true }
            }
            return false
        }
        if failed { break }
    }
    return outcomes
}

/// swift-nio's ByteToMessageDecoderVerifier idea: whole, in one-byte drips, and
/// split in two at every offset, the parser must produce the same outcomes.
private func verifySplits(_ text: String, limits: HTTPRequestParser.Limits = .init(),
                          file: StaticString = #filePath, line: UInt = #line) -> [Outcome] {
    let input = Array(text.utf8)
    let whole = feed(input, chunks: [input.count], limits: limits)
    XCTAssertEqual(feed(input, chunks: Array(repeating: 1, count: input.count), limits: limits), whole,
                   "one-byte drips differ", file: file, line: line)
    for cut in 0...input.count {
        let split = feed(input, chunks: [cut, input.count - cut], limits: limits)
        XCTAssertEqual(split, whole, "split at \(cut) differs", file: file, line: line)
    }
    return whole
}

final class HTTPRequestParserTests: XCTestCase {
    func testSimpleGet() {
        let outcomes = verifySplits("GET /a?b=c HTTP/1.1\r\nHost: x\r\nX-Multi: 1\r\nx-multi: 2\r\n\r\n")
        XCTAssertEqual(outcomes, [.request(method: "GET", target: "/a?b=c", version: "HTTP/1.1",
                                           headers: ["Host=x", "X-Multi=1", "x-multi=2"], body: [], trailers: [], keepAlive: true)])
    }

    func testHeadersAreCaseInsensitiveAndTrimmed() {
        var parser = HTTPRequestParser()
        let input = Array("GET /p?q HTTP/1.1\r\nHOST: h\r\nContent-TYPE:   application/json  \r\nX-A: 1\r\nx-a: 2\r\n\r\n".utf8)
        let event = input.withUnsafeBytes { parser.parse($0).event }
        guard case .request(let request) = event else { return XCTFail("\(String(describing: event))") }
        XCTAssertEqual(request.headers["content-type"], "application/json")
        XCTAssertEqual(request.headers["Host"], "h")
        XCTAssertEqual(request.headers.values(for: "X-A"), ["1", "2"])
        XCTAssertTrue(request.headers.contains("x-A"))
        XCTAssertNil(request.headers["missing"])
        XCTAssertEqual(request.path, "/p")
        XCTAssertEqual(request.query, "q")
    }

    func testContentLengthBodyAndPipelining() {
        let outcomes = verifySplits(
            "POST /1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                + "GET /2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                + "\r\nPUT /3 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        XCTAssertEqual(outcomes.count, 3)
        guard case .request(_, let t1, _, _, let b1, _, _) = outcomes[0], case .request(_, let t2, _, _, _, _, let k2) = outcomes[1],
              case .request(let m3, _, _, _, _, _, _) = outcomes[2] else { return XCTFail("\(outcomes)") }
        XCTAssertEqual(t1, "/1")
        XCTAssertEqual(b1, Array("hello".utf8))
        XCTAssertEqual(t2, "/2")
        XCTAssertFalse(k2)
        XCTAssertEqual(m3, "PUT")
    }

    func testChunkedBodyWithExtensionsAndTrailers() {
        let outcomes = verifySplits("POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n"
            + "4;ext=1\r\nWiki\r\n5 ;a=\"b\"\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nExpires: never\r\nX-Sum: 9\r\n\r\n"
            + "GET /next HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(outcomes.count, 2)
        guard case .request(_, _, _, _, let body, let trailers, _) = outcomes.first else { return XCTFail("\(outcomes)") }
        XCTAssertEqual(String(decoding: body, as: UTF8.self), "Wikipedia in\r\n\r\nchunks.")
        XCTAssertEqual(trailers, ["Expires=never", "X-Sum=9"])
    }

    func testBareLineFeedsAreAccepted() {
        let outcomes = verifySplits("POST / HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\n3\nabc\n0\n\n")
        guard case .request(_, _, _, _, let body, _, _) = outcomes.first else { return XCTFail("\(outcomes)") }
        XCTAssertEqual(body, Array("abc".utf8))
    }

    func testExpectContinueComesBeforeTheBody() {
        let outcomes = verifySplits("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\nok")
        XCTAssertEqual(outcomes.count, 2)
        XCTAssertEqual(outcomes.first, .continueNeeded)
        let none = verifySplits("GET / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n")
        XCTAssertEqual(none.count, 1, "no 100 Continue without a body")
    }

    func testHTTP10KeepAliveRules() {
        let plain = verifySplits("GET / HTTP/1.0\r\n\r\n")
        let kept = verifySplits("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")
        guard case .request(_, _, let v, _, _, _, let k1) = plain.first, case .request(_, _, _, _, _, _, let k2) = kept.first else {
            return XCTFail()
        }
        XCTAssertEqual(v, "HTTP/1.0")
        XCTAssertFalse(k1)
        XCTAssertTrue(k2)
    }

    func testErrors() {
        let limits = HTTPRequestParser.Limits(maxHeaderBytes: 256, maxBodyBytes: 10)
        let cases: [(String, HTTPParseError)] = [
            ("GET\r\n\r\n", .malformedRequestLine),
            ("GET  / HTTP/1.1\r\n\r\n", .malformedRequestLine),
            ("GET / HTTP/1.1 \r\n\r\n", .malformedRequestLine),
            ("GET / FTP/1.1\r\n\r\n", .malformedRequestLine),
            ("G@T / HTTP/1.1\r\nHost: x\r\n\r\n", .malformedRequestLine),
            ("get / HTTP/1.1\r\nHost: x\r\n\r\n", .unsupportedMethod),
            ("CONNECT x:1 HTTP/1.1\r\nHost: x\r\n\r\n", .unsupportedMethod),
            ("GET / HTTP/3.0\r\nHost: x\r\n\r\n", .unsupportedVersion),
            ("GET / HTTP/0.9\r\nHost: x\r\n\r\n", .unsupportedVersion),
            ("GET / HTTP/1.1\r\n\r\n", .invalidHost),
            ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", .invalidHost),
            ("GET / HTTP/1.1\r\nHost: x\r\nNo-Colon\r\n\r\n", .malformedHeader),
            ("GET / HTTP/1.1\r\nHost: x\r\nName : v\r\n\r\n", .malformedHeader),
            ("GET / HTTP/1.1\r\nHost: x\r\n\tfolded\r\n\r\n", .malformedHeader),
            ("GET / HTTP/1.1\r\nHost: x\r\nX: a\u{1}b\r\n\r\n", .malformedHeader),
            ("GET / HTTP/1.1\r\nHost: x\r\nX: \(String(repeating: "a", count: 300))\r\n\r\n", .headerTooLarge),
            ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n", .bodyTooLarge),
            ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n", .bodyTooLarge),
            ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n", .invalidContentLength),
            ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length:\r\n\r\n", .invalidContentLength),
            ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1, 2\r\n\r\n", .conflictingContentLength),
            ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", .conflictingContentLength),
            ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", .contentLengthWithTransferEncoding),
            ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", .unsupportedTransferEncoding),
            ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", .malformedTransferEncoding),
            ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: ,\r\n\r\n", .malformedTransferEncoding),
            ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nG\r\n", .malformedChunk),
            ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3x\r\n", .malformedChunk),
            ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX", .malformedChunk),
            ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\n", .bodyTooLarge),
            ("POST / HTTP/1.1\r\nHost: x\r\nExpect: something\r\n\r\n", .unsupportedExpectation),
            (String(repeating: "\r\n", count: 9) + "GET / HTTP/1.1\r\nHost: x\r\n\r\n", .malformedRequestLine),
        ]
        for (text, expected) in cases {
            let outcomes = verifySplits(text, limits: limits)
            XCTAssertEqual(outcomes.last, .error(expected), text.debugDescription)
        }
    }

    func testErrorStatusesAndMessages() {
        XCTAssertEqual(HTTPParseError.malformedHeader.status.code, 400)
        XCTAssertEqual(HTTPParseError.conflictingContentLength.status.code, 400)
        XCTAssertEqual(HTTPParseError.contentLengthWithTransferEncoding.status.code, 400)
        XCTAssertEqual(HTTPParseError.unsupportedMethod.status.code, 501)
        XCTAssertEqual(HTTPParseError.unsupportedTransferEncoding.status.code, 501)
        XCTAssertEqual(HTTPParseError.unsupportedVersion.status.code, 505)
        XCTAssertEqual(HTTPParseError.headerTooLarge.status.code, 431)
        XCTAssertEqual(HTTPParseError.bodyTooLarge.status.code, 413)
        XCTAssertEqual(HTTPParseError.headerTooLarge.message, "request header too large")
    }

    func testSeededRandomSplitsOfAPipelinedStream() {
        let text = (0..<20).map { i in
            i % 2 == 0
                ? "POST /r\(i) HTTP/1.1\r\nHost: x\r\nContent-Length: \(i)\r\n\r\n" + String(repeating: "b", count: i)
                : "POST /r\(i) HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n\(String(i, radix: 16))\r\n"
                    + String(repeating: "c", count: i) + "\r\n0\r\n\r\n"
        }.joined()
        let input = Array(text.utf8)
        let whole = feed(input, chunks: [input.count])
        XCTAssertEqual(whole.count, 20)
        var seed: UInt64 = 0x5EED
        for round in 0..<200 {
            var sizes: [Int] = []
            var remaining = input.count
            while remaining > 0 {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let size = min(remaining, Int(seed >> 33) % 40 + 1)
                sizes.append(size)
                remaining -= size
            }
            XCTAssertEqual(feed(input, chunks: sizes), whole, "seed 0x5EED round \(round)")
        }
    }
}
