import Foundation
import JSON
import JSONRPC
import Synchronization
import Testing

/// A batch's answers are bounded: found by `scripts/hostile-clients`, where one
/// 80 KB batch of 1,000 full-block reads made the node build a 333 MB reply
/// and its resident memory reach 1 GB.
@Suite struct JSONRPCBatchResponseLimitTests {
    /// A router whose `blob` answers with a string of `n` bytes and counts its calls.
    static func blobServer(limit: Int, calls: CallCounter) -> JSONRPCServer {
        var router = JSONRPCRouter()
        router.register("blob") { call in
            calls.increment()
            return .success(.string(String(repeating: "a", count: try call.params.int(0))))
        }
        router.registerDeferred("laterBlob") { call, respond in
            let n = try call.params.int(0)
            deferredAnswers.asyncAfter(deadline: .now() + .milliseconds(5)) {
                respond(.success(.string(String(repeating: "b", count: n))))
            }
        }
        return JSONRPCServer(router: router, configuration: .init(maxBatchResponseBytes: limit))
    }

    static func batch(_ entries: [String]) -> String { "[" + entries.joined(separator: ",") + "]" }

    static func answers(_ text: String) throws -> [[String: Any]] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
    }

    static func code(_ answer: [String: Any]) -> Int? { (answer["error"] as? [String: Any])?["code"] as? Int }

    @Test func entriesPastTheLimitGetResponseTooLargeAndAreNotRun() throws {
        let calls = CallCounter()
        let server = Self.blobServer(limit: 10_000, calls: calls)
        let body = Self.batch((0..<100).map { #"{"jsonrpc":"2.0","id":\#($0),"method":"blob","params":[1000]}"# })
        let text = server.send(body)
        let answers = try Self.answers(text)
        #expect(answers.count == 100)
        #expect(answers.map { $0["id"] as? Int } == Array(0..<100))
        let full = answers.prefix { $0["result"] != nil }
        #expect(full.count >= 8 && full.count <= 10, "about 10,000 bytes of 1,000-byte answers")
        #expect(answers.dropFirst(full.count).allSatisfy { Self.code($0) == -32003 })
        #expect(text.utf8.count < 10_000 + 100 * 160)
        #expect(calls.value <= full.count + 1, "handlers past the limit never ran: \(calls.value) calls")
    }

    @Test func aBatchUnderTheLimitIsAnsweredWhole() throws {
        let server = Self.blobServer(limit: 10_000, calls: CallCounter())
        let body = Self.batch((0..<5).map { #"{"jsonrpc":"2.0","id":\#($0),"method":"blob","params":[100]}"# })
        let answers = try Self.answers(server.send(body))
        #expect(answers.count == 5 && answers.allSatisfy { ($0["result"] as? String)?.count == 100 })
    }

    @Test func deferredAnswersPastTheLimitAreReplacedToo() throws {
        let server = Self.blobServer(limit: 5_000, calls: CallCounter())
        let body = Self.batch((0..<20).map { #"{"jsonrpc":"2.0","id":\#($0),"method":"laterBlob","params":[1000]}"# })
        let answers = try Self.answers(server.send(body))
        #expect(answers.count == 20)
        let kept = answers.filter { $0["result"] != nil }.count
        let refused = answers.filter { Self.code($0) == -32003 }.count
        #expect(kept >= 4 && kept <= 5 && kept + refused == 20, "kept \(kept), refused \(refused)")
    }

    @Test func oneAnswerLargerThanTheLimitIsRefusedButASingleRequestIsNot() throws {
        let server = Self.blobServer(limit: 1_000, calls: CallCounter())
        let answers = try Self.answers(server.send(#"[{"jsonrpc":"2.0","id":"x","method":"blob","params":[5000]}]"#))
        #expect(answers.count == 1 && Self.code(answers[0]) == -32003 && answers[0]["id"] as? String == "x")
        #expect(server.send(#"{"jsonrpc":"2.0","id":1,"method":"blob","params":[5000]}"#).utf8.count > 5000,
                "the limit is on batches; a single answer's size is the method's business")
    }

    @Test func notificationsPastTheLimitStillRunAndStayUnanswered() throws {
        let calls = CallCounter()
        let server = Self.blobServer(limit: 2_000, calls: calls)
        var entries = (0..<5).map { #"{"jsonrpc":"2.0","id":\#($0),"method":"blob","params":[1000]}"# }
        entries.append(#"{"jsonrpc":"2.0","method":"blob","params":[10]}"#)
        let answers = try Self.answers(server.send(Self.batch(entries)))
        #expect(answers.count == 5)
        #expect(calls.value == 3, "two answers fit or cross the limit, the notification runs: \(calls.value)")
    }
}

/// A thread-safe call counter.
final class CallCounter: Sendable {
    private let count = Atomic<Int>(0)
    func increment() { count.wrappingAdd(1, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}
