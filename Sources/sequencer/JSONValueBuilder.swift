import Ethereum
import JSON
import Primitives

/// An ordered JSON object built member by member, with the value kinds the
/// wallet prints (wei as decimal strings, counts as numbers, hashes and
/// addresses as hex strings).
struct JSONValueBuilder {
    private(set) var members: [(key: String, value: JSONValue)] = []

    var json: JSONValue { .object(members) }

    mutating func set(_ key: String, _ value: JSONValue) { members.append((key, value)) }
    mutating func set(_ key: String, _ value: String) { set(key, .string(value)) }
    mutating func set(_ key: String, _ value: Bool) { set(key, .bool(value)) }
    mutating func set(_ key: String, _ value: UInt64) { set(key, .number(JSONNumber(value))) }
    mutating func set(_ key: String, _ value: Int) { set(key, .number(JSONNumber(value))) }
    mutating func set(_ key: String, _ value: Hash32) { set(key, .string(value.description)) }
    mutating func set(_ key: String, _ value: Address) { set(key, .string(value.checksummed)) }
    mutating func set(_ key: String, wei value: UInt256) { set(key, .string(value.description)) }
    mutating func set(_ key: String, _ value: JSONValueBuilder) { set(key, value.json) }
}
