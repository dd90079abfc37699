import Foundation
import JSON
import Testing

/// Cross-checks the parser and the writer against Foundation's JSONSerialization
/// on seeded random documents; the seed is in every failure message.
@Suite struct JSONOracleTests {
    static let baseSeed: UInt64 = ProcessInfo.processInfo.environment["JSON_SEED"].flatMap { UInt64($0) } ?? 0x5EED_2026

    @Test func agreesWithJSONSerializationOnRandomDocuments() throws {
        for i in 0..<3_000 {
            let seed = Self.baseSeed &+ UInt64(i)
            var generator = RandomJSON(seed: seed)
            let doc = generator.document()
            let text = String(decoding: doc, as: UTF8.self)
            let mine: JSONValue
            do {
                mine = try JSONParser.parse(doc)
            } catch {
                Issue.record("seed \(seed): rejected \(text): \(error)")
                return
            }
            let theirs = try JSONSerialization.jsonObject(with: Data(doc), options: [.fragmentsAllowed])
            guard Self.same(mine, theirs) else {
                Issue.record("seed \(seed): disagrees with JSONSerialization on \(text)")
                return
            }
            let written = mine.serialized()
            #expect(try JSONParser.parse(written) == mine, "seed \(seed): writer round trip of \(text)")
            let reread = try JSONSerialization.jsonObject(with: Data(written), options: [.fragmentsAllowed])
            #expect(Self.same(mine, reread), "seed \(seed): Foundation reads the writer's output differently")
        }
    }

    @Test func randomMutationsNeverCrashAndAgreeWhenBothAccept() throws {
        var rng = SplitMix64(seed: Self.baseSeed ^ 0xBAD)
        var accepted = 0
        var onlyWeAccept: [String] = []
        for i in 0..<3_000 {
            let seed = Self.baseSeed &+ UInt64(i)
            var generator = RandomJSON(seed: seed)
            var doc = generator.document(maxDepth: 3)
            guard !doc.isEmpty else { continue }
            let interesting: [UInt8] = [0x22, 0x5C, 0x2C, 0x3A, 0x5B, 0x5D, 0x7B, 0x7D, 0x30, 0x2D, 0x2E, 0x65, 0x00, 0x1F, 0x80, 0xC3, 0xED, 0xFF]
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let at = Int.random(in: 0..<doc.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: doc[at] = interesting.randomElement(using: &rng)!
                case 1: doc.remove(at: at)
                default: doc.insert(interesting.randomElement(using: &rng)!, at: at)
                }
                if doc.isEmpty { break }
            }
            guard let mine = try? JSONParser.parse(doc) else { continue }
            accepted += 1
            if let theirs = try? JSONSerialization.jsonObject(with: Data(doc), options: [.fragmentsAllowed]) {
                #expect(Self.same(mine, theirs, duplicateKeysAllowed: true),
                        "seed \(seed): mutated document read differently: \(String(decoding: doc, as: UTF8.self))")
            } else if !Self.hasNumberBeyondDouble(mine) {
                onlyWeAccept.append(String(decoding: doc, as: UTF8.self))
            }
        }
        #expect(accepted > 0)
        #expect(onlyWeAccept.isEmpty, "accepted by us, rejected by JSONSerialization: \(onlyWeAccept.prefix(5))")
    }

    @Test func writerEscapesEveryScalarLikeFoundationReadsIt() throws {
        var rng = SplitMix64(seed: Self.baseSeed ^ 0xE5C)
        for i in 0..<500 {
            var s = ""
            for _ in 0..<Int.random(in: 0..<40, using: &rng) {
                let range: ClosedRange<UInt32> = [0...0x1F, 0x20...0x7F, 0x80...0xD7FF, 0xE000...0x10FFFF].randomElement(using: &rng)!
                s.unicodeScalars.append(Unicode.Scalar(UInt32.random(in: range, using: &rng))!)
            }
            let written = JSONValue.string(s).serialized()
            #expect(written.allSatisfy { $0 >= 0x20 }, "seed \(i): raw control byte in output")
            #expect(try JSONParser.parse(written) == .string(s), "iteration \(i)")
            let theirs = try JSONSerialization.jsonObject(with: Data(written), options: [.fragmentsAllowed]) as? String
            #expect(theirs == s, "iteration \(i)")
        }
    }

    /// Foundation rejects numbers that overflow a Double; we keep their text (RFC 8259 allows both).
    static func hasNumberBeyondDouble(_ v: JSONValue) -> Bool {
        switch v {
        case .number(let n): n.double == nil
        case .array(let a): a.contains(where: hasNumberBeyondDouble)
        case .object(let o): o.contains { hasNumberBeyondDouble($0.value) }
        default: false
        }
    }

    /// Structural equality between our tree and Foundation's; numbers compare
    /// exactly when both are integers that fit, else as doubles to 1e-12.
    static func same(_ mine: JSONValue, _ theirs: Any, duplicateKeysAllowed: Bool = false) -> Bool {
        switch mine {
        case .null:
            return theirs is NSNull
        case .bool(let b):
            return (theirs as? Bool) == b
        case .number(let number):
            if let i = number.int, let t = theirs as? Int { return i == t }
            guard let d = Double(number.text) else { return false }
            let t: Double
            if let n = theirs as? NSNumber {
                t = n.doubleValue
            } else if let dec = theirs as? Decimal {
                t = NSDecimalNumber(decimal: dec).doubleValue
            } else {
                return false
            }
            return d == t || abs(d - t) <= 1e-12 * max(abs(d), abs(t))
        case .string(let s):
            return (theirs as? String) == s
        case .array(let a):
            guard let t = theirs as? [Any], t.count == a.count else { return false }
            return zip(a, t).allSatisfy { same($0, $1, duplicateKeysAllowed: duplicateKeysAllowed) }
        case .object(let members):
            guard let t = theirs as? [String: Any] else { return false }
            if !duplicateKeysAllowed && t.count != members.count { return false }
            for m in members {
                guard let v = t[m.key] else { return false }
                let candidates = members.filter { $0.key == m.key }
                guard candidates.contains(where: { same($0.value, v, duplicateKeysAllowed: duplicateKeysAllowed) }) else { return false }
            }
            return true
        }
    }
}
