import Foundation
@testable import HTTP
import TestSupport
import XCTest

/// The WebSocket protocol core without sockets: base64, the handshake, the
/// frame parser fed whole, in one-byte drips and split at every offset, the
/// UTF-8 validator against the standard library, and the session's timers on a fake clock.
final class WebSocketParserTests: XCTestCase {
    private let ms: UInt64 = 1_000_000

    // MARK: Base64 and the handshake

    func testBase64AgreesWithFoundation() {
        let seed = testSeed()
        var rng = SeededGenerator(seed: seed)
        for length in 0..<64 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let ours = Base64.encode(bytes)
            XCTAssertEqual(ours, Data(bytes).base64EncodedString(), "seed \(seed), length \(length)")
            XCTAssertEqual(Base64.decode(ours), bytes, "seed \(seed), length \(length)")
        }
        for bad in ["A", "AB=", "A===", "AB=C", "ab!d", "QQ=A", "QR==", "QUJ=", "====", "Zg==Zg=="] {
            XCTAssertNil(Base64.decode(bad), bad)
        }
        XCTAssertEqual(Base64.decode(""), [])
    }

    /// RFC 6455 §1.3's worked example.
    func testAcceptValueOfTheRFCExample() {
        XCTAssertEqual(WebSocketHandshake.acceptValue(forKey: "dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    func testHandshakeValidation() {
        func request(_ fields: [(String, String)], method: HTTPMethod = .get, version: HTTPVersion = .http1_1) -> HTTPRequest {
            HTTPRequest(method: method, target: "/", version: version, headers: HTTPHeaders(fields))
        }
        let key = "dGhlIHNhbXBsZSBub25jZQ=="
        let good = [("Upgrade", "WebSocket"), ("Connection", "keep-alive, Upgrade"), ("Sec-WebSocket-Key", key),
                    ("Sec-WebSocket-Version", "13")]
        XCTAssertEqual(try WebSocketHandshake.validate(request(good)).get(), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        XCTAssertEqual(WebSocketHandshake.validate(request(good, method: .post)), .failure(.methodNotGet(.post)))
        XCTAssertEqual(WebSocketHandshake.validate(request(good, version: .http1_0)), .failure(.versionNotHTTP11(.http1_0)))
        XCTAssertEqual(WebSocketHandshake.validate(request(good.filter { $0.0 != "Connection" })), .failure(.connectionLacksUpgrade(nil)))
        XCTAssertEqual(WebSocketHandshake.validate(request(good.map { $0.0 == "Sec-WebSocket-Version" ? ($0.0, "8") : $0 })),
                       .failure(.unsupportedVersion("8")))
        XCTAssertEqual(WebSocketHandshake.validate(request(good.map { $0.0 == "Sec-WebSocket-Key" ? ($0.0, "c2hvcnQ=") : $0 })),
                       .failure(.badKey("c2hvcnQ=")))
        XCTAssertEqual(WebSocketHandshake.validate(request(good + [("Sec-WebSocket-Key", key)])), .failure(.badKey(key)), "two keys")
        XCTAssertEqual(WebSocketHandshakeError.unsupportedVersion("8").response.status.code, 426)
        XCTAssertEqual(WebSocketHandshakeError.badKey(nil).response.status.code, 400)
    }

    // MARK: The HTTP side of the upgrade

    private func receive(_ c: inout HTTPConnection, _ text: String) -> (consumed: Int, actions: [String]) {
        let bytes = Array(text.utf8)
        var offset = 0
        var actions: [String] = []
        while offset <= bytes.count {
            let (used, action) = bytes.withUnsafeBytes { c.receive(UnsafeRawBufferPointer(rebasing: $0[offset...]), now: Deadline(nanoseconds: 0)) }
            offset += used
            switch action {
            case .dispatch(_, let sequence): actions.append("dispatch \(sequence)")
            case .needMoreData: return (offset, actions + ["needMoreData"])
            case .pause: return (offset, actions + ["pause"])
            case .discard: return (offset, actions + ["discard"])
            }
        }
        return (offset, actions)
    }

    /// Nothing after an upgrade request is parsed as HTTP until it is answered:
    /// a refusal resumes HTTP, an acceptance hands over the 101 head.
    func testUpgradeRequestPausesParsingUntilAnswered() {
        let upgrade = "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
        let next = "GET /next HTTP/1.1\r\nHost: x\r\n\r\n"
        var refused = HTTPConnection(parserLimits: .init(), limits: .init(), now: Deadline(nanoseconds: 0))
        let first = receive(&refused, upgrade + next)
        XCTAssertEqual(first.actions, ["dispatch 0", "pause"])
        XCTAssertEqual(first.consumed, upgrade.utf8.count, "the bytes after the upgrade request stay unparsed")
        XCTAssertFalse(refused.canAcceptRequest)
        XCTAssertNil(refused.deadline, "no input timeout while the responder decides")
        refused.respond(sequence: 0, response: .error(.badRequest, message: "no"), now: Deadline(nanoseconds: 0))
        XCTAssertTrue(refused.canAcceptRequest, "a refusal resumes HTTP")
        XCTAssertEqual(receive(&refused, next).actions, ["dispatch 1", "needMoreData"])

        var accepted = HTTPConnection(parserLimits: .init(), limits: .init(), now: Deadline(nanoseconds: 0))
        _ = receive(&accepted, upgrade)
        XCTAssertNil(accepted.upgrade(sequence: 1, headers: [:]), "only the pending upgrade request")
        let owed = try? XCTUnwrap(accepted.upgrade(sequence: 0, headers: ["Upgrade": "websocket", "Sec-WebSocket-Accept": "x"]))
        let head = String(decoding: owed ?? [], as: UTF8.self)
        XCTAssertTrue(head.hasPrefix("HTTP/1.1 101 Switching Protocols\r\n"), head)
        XCTAssertTrue(head.contains("Connection: Upgrade\r\n"))
        XCTAssertTrue(head.contains("Sec-WebSocket-Accept: x\r\n"))
        XCTAssertFalse(head.contains("Content-Length"))
        XCTAssertTrue(head.hasSuffix("\r\n\r\n"))
        XCTAssertEqual(accepted.phase, .closed, "the HTTP machine gives the connection up")
        XCTAssertFalse(accepted.hasPendingOutput)
    }

    // MARK: Frame parser

    /// A client stream: every length class, masked, with control frames and fragments.
    private func sampleFrames() -> [WebSocketFrame] {
        [WebSocketFrame(opcode: .text, payload: Array("hello".utf8)),
         WebSocketFrame(opcode: .ping, payload: []),
         WebSocketFrame(fin: false, opcode: .binary, payload: (0..<125).map { UInt8($0) }),
         WebSocketFrame(opcode: .pong, payload: [1, 2, 3]),
         WebSocketFrame(fin: false, opcode: .continuation, payload: (0..<126).map { UInt8($0 & 0xFF) }),
         WebSocketFrame(opcode: .continuation, payload: (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 13) }),
         WebSocketFrame(opcode: .binary, payload: []),
         WebSocketFrame(opcode: .close, payload: [3, 232])]
    }

    private func encode(_ frames: [WebSocketFrame], maskSeed: UInt32 = 0x1234_5678) -> [UInt8] {
        var out: [UInt8] = []
        for (i, f) in frames.enumerated() {
            WebSocketFrameEncoder.append(opcode: f.opcode, payload: f.payload, fin: f.fin,
                                         mask: maskSeed &* UInt32(i + 1) | 0x0101_0101, into: &out)
        }
        return out
    }

    private func parseAll(_ bytes: [UInt8], cuts: [Int], maxFrameBytes: Int = 1 << 20) -> [WebSocketFrameParser.Event] {
        var parser = WebSocketFrameParser(maxFrameBytes: maxFrameBytes)
        var events: [WebSocketFrameParser.Event] = []
        var pieces: [ArraySlice<UInt8>] = []
        var last = 0
        for cut in cuts + [bytes.count] where cut >= last {
            pieces.append(bytes[last..<cut])
            last = cut
        }
        for piece in pieces {
            Array(piece).withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let (used, event) = parser.parse(UnsafeRawBufferPointer(rebasing: raw[offset...]))
                    offset += used
                    if let event { events.append(event) }
                    if case .violation? = event { return }
                    if event == nil { break }
                }
            }
        }
        return events
    }

    func testParserWholeDripAndEverySplitAgree() {
        let frames = sampleFrames()
        let bytes = encode(frames)
        let expected = frames.map { WebSocketFrameParser.Event.frame($0) }
        XCTAssertEqual(parseAll(bytes, cuts: []), expected, "whole")
        XCTAssertEqual(parseAll(bytes, cuts: Array(1..<bytes.count)), expected, "one byte at a time")
        for cut in 1..<bytes.count {
            XCTAssertEqual(parseAll(bytes, cuts: [cut]), expected, "split at \(cut)")
        }
        let seed = testSeed()
        var rng = SeededGenerator(seed: seed)
        for _ in 0..<200 {
            let cuts = (0..<Int.random(in: 1...20, using: &rng)).map { _ in Int.random(in: 1..<bytes.count, using: &rng) }.sorted()
            XCTAssertEqual(parseAll(bytes, cuts: cuts), expected, "seed \(seed), cuts \(cuts)")
        }
    }

    func testSixtyFourBitLengthsAndMaskingOfLongPayloads() {
        let payload = (0..<70_001).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 5) }
        let bytes = encode([WebSocketFrame(opcode: .binary, payload: payload)], maskSeed: 0xA1B2_C3D4)
        XCTAssertEqual(bytes[1] & 0x7F, 127)
        for cut in [1, 2, 9, 10, 13, 14, 15, 17, 1000, bytes.count - 1] {
            XCTAssertEqual(parseAll(bytes, cuts: [cut]), [.frame(WebSocketFrame(opcode: .binary, payload: payload))], "split at \(cut)")
        }
    }

    func testParserViolationsAreFoundFromTheHeader() {
        func first(_ bytes: [UInt8], maxFrameBytes: Int = 100) -> WebSocketFrameParser.Event? {
            parseAll(bytes, cuts: Array(1..<max(1, bytes.count)), maxFrameBytes: maxFrameBytes).first
        }
        XCTAssertEqual(first([0x81, 0x02, 0x68, 0x69]), .violation(.unmaskedClientFrame))
        XCTAssertEqual(first([0xC1, 0x80]), .violation(.reservedBitsSet(4)))
        XCTAssertEqual(first([0x83, 0x80]), .violation(.reservedOpcode(3)))
        XCTAssertEqual(first([0x09, 0x80]), .violation(.fragmentedControlFrame(.ping)))
        XCTAssertEqual(first([0x89, 0xFE, 0x00, 0x7E]), .violation(.controlFrameTooLong(.ping, bytes: 126)))
        XCTAssertEqual(first([0x82, 0xFE, 0x00, 0x65]), .violation(.frameTooLarge(bytes: 101, limit: 100)), "refused before the payload arrives")
        XCTAssertEqual(first([0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0]), .violation(.frameTooLarge(bytes: 0x80 << 56, limit: 100)))
        XCTAssertEqual(WebSocketViolation.frameTooLarge(bytes: 1, limit: 0).closeCode, .messageTooBig)
        XCTAssertEqual(WebSocketViolation.invalidUTF8.closeCode, .invalidPayload)
        XCTAssertEqual(WebSocketViolation.unmaskedClientFrame.closeCode, .protocolError)
    }

    // MARK: UTF-8

    func testUTF8ValidatorAgreesWithTheStandardLibraryAtEverySplit() {
        let seed = testSeed()
        var rng = SeededGenerator(seed: seed)
        let interesting: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF,
                                    0x9F, 0xA0, 0x8F, 0x90]
        var valid = 0
        for _ in 0..<3000 {
            let count = Int.random(in: 0...12, using: &rng)
            let bytes = (0..<count).map { _ in
                Bool.random(using: &rng) ? interesting.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
            }
            let oracle = String(validating: bytes, as: UTF8.self) != nil
            if oracle { valid += 1 }
            XCTAssertEqual(bytes.withUnsafeBytes { UTF8Validator.isValid($0) }, oracle, "seed \(seed), \(hex(bytes))")
            for cut in 0...count {
                var v = UTF8Validator()
                let ok = bytes[..<cut].withUnsafeBytes { v.validate($0) } && bytes[cut...].withUnsafeBytes { v.validate($0) } && v.isComplete
                XCTAssertEqual(ok, oracle, "seed \(seed), \(hex(bytes)) cut at \(cut)")
            }
        }
        XCTAssertGreaterThan(valid, 100, "the sample holds valid strings too")
        let text = Array("plain ascii long enough for the 8-byte path, then ü€𝄞".utf8)
        XCTAssertTrue(text.withUnsafeBytes { UTF8Validator.isValid($0) })
    }

    // MARK: Session

    private func session(_ adjust: (inout WebSocketConfiguration) -> Void = { _ in }) -> WebSocketSession {
        var configuration = WebSocketConfiguration()
        configuration.pingInterval = .seconds(1)
        configuration.closeTimeout = .seconds(2)
        adjust(&configuration)
        return WebSocketSession(limits: WebSocketSession.Limits(configuration), now: Deadline(nanoseconds: 0))
    }

    private func feed(_ s: inout WebSocketSession, _ bytes: [UInt8], cuts: [Int] = [], at now: UInt64 = 0) -> [WebSocketMessage] {
        var messages: [WebSocketMessage] = []
        var last = 0
        for cut in cuts + [bytes.count] where cut >= last {
            Array(bytes[last..<cut]).withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let (used, message) = s.receive(UnsafeRawBufferPointer(rebasing: raw[offset...]), now: Deadline(nanoseconds: now))
                    offset += used
                    if let message { messages.append(message) }
                    if used == 0 { break }
                }
            }
            last = cut
        }
        return messages
    }

    private func drain(_ s: inout WebSocketSession) -> [UInt8] {
        let out = Array(s.outbound[s.outboundWritten...])
        s.didWrite(out.count, now: Deadline(nanoseconds: 0))
        return out
    }

    func testSessionReassemblesAnswersPingsAndEchoesCloseAtEverySplit() {
        let word = Array("naïve ☃ 𝄞".utf8)
        let frames = [WebSocketFrame(fin: false, opcode: .text, payload: Array(word[0..<4])),
                      WebSocketFrame(opcode: .ping, payload: Array("hi".utf8)),
                      WebSocketFrame(fin: false, opcode: .continuation, payload: Array(word[4..<9])),
                      WebSocketFrame(opcode: .continuation, payload: Array(word[9...])),
                      WebSocketFrame(opcode: .binary, payload: [9, 9]),
                      WebSocketFrame(opcode: .close, payload: [0x0F, 0xA0] + Array("done".utf8)),
                      WebSocketFrame(opcode: .text, payload: Array("ignored after close".utf8))]
        let bytes = encode(frames)
        var expectedOut: [UInt8] = []
        WebSocketFrameEncoder.append(opcode: .pong, payload: Array("hi".utf8), into: &expectedOut)
        WebSocketFrameEncoder.append(opcode: .close, payload: [0x0F, 0xA0], into: &expectedOut)
        for cut in 0...bytes.count {
            var s = session()
            let messages = feed(&s, bytes, cuts: [cut])
            XCTAssertEqual(messages, [.text("naïve ☃ 𝄞"), .binary([9, 9])], "split at \(cut)")
            XCTAssertEqual(drain(&s), expectedOut, "split at \(cut)")
            XCTAssertEqual(s.closeCode, WebSocketCloseCode(rawValue: 4000))
            XCTAssertEqual(s.closeReason, "done")
            XCTAssertEqual(s.socketAction(now: Deadline(nanoseconds: 0)), .shutdownWrite)
        }
    }

    func testSessionPingsAnIdlePeerAndDropsAnUnresponsiveOne() {
        var s = session()
        XCTAssertEqual(s.deadline, Deadline(nanoseconds: 1000 * ms))
        s.timerFired(now: Deadline(nanoseconds: 999 * ms))
        XCTAssertFalse(s.hasPendingOutput)
        s.timerFired(now: Deadline(nanoseconds: 1000 * ms))
        XCTAssertEqual(drain(&s), [0x89, 0x00], "a ping")
        XCTAssertEqual(s.deadline, Deadline(nanoseconds: 2000 * ms))
        _ = feed(&s, encode([WebSocketFrame(opcode: .pong, payload: [])]), at: 1500 * ms)
        XCTAssertEqual(s.deadline, Deadline(nanoseconds: 2500 * ms), "input resets the clock")
        s.timerFired(now: Deadline(nanoseconds: 2500 * ms))
        XCTAssertEqual(drain(&s), [0x89, 0x00])
        s.timerFired(now: Deadline(nanoseconds: 3500 * ms))
        XCTAssertEqual(s.phase, .closed)
        XCTAssertEqual(s.closeCode, .goingAway)
    }

    func testSessionCloseTimeoutAndOutputLimit() {
        var s = session()
        s.close(code: .normalClosure, reason: "bye", now: Deadline(nanoseconds: 0))
        XCTAssertEqual(drain(&s), [0x88, 0x05, 0x03, 0xE8] + Array("bye".utf8))
        XCTAssertFalse(s.send(frame: [0x81, 0x00]), "nothing is sent after our close frame")
        XCTAssertEqual(s.socketAction(now: Deadline(nanoseconds: 0)), .none, "waiting for the peer's close")
        s.timerFired(now: Deadline(nanoseconds: 2000 * ms))
        XCTAssertEqual(s.socketAction(now: Deadline(nanoseconds: 2000 * ms)), .close)

        var full = session { $0.maxOutputBytes = 100 }
        XCTAssertTrue(full.send(frame: [UInt8](repeating: 0, count: 60)))
        XCTAssertFalse(full.send(frame: [UInt8](repeating: 0, count: 60)), "over the limit: dropped")
        XCTAssertEqual(full.phase, .closed)
        XCTAssertEqual(full.closeCode, .policyViolation)

        var stalled = session { $0.writeTimeout = .seconds(3); $0.pingInterval = nil }
        XCTAssertTrue(stalled.send(frame: [0x81, 0x01, 0x61]))
        stalled.writeWouldBlock(now: Deadline(nanoseconds: 1000 * ms))
        XCTAssertEqual(stalled.deadline, Deadline(nanoseconds: 4000 * ms))
        stalled.timerFired(now: Deadline(nanoseconds: 4000 * ms))
        XCTAssertEqual(stalled.phase, .closed)
    }
}
