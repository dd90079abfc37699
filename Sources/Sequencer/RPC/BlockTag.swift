import JSON
import JSONRPC
import Primitives

/// Which block a read refers to: the tags wallets send, a number, or a hash
/// (EIP-1898 object form included).
public enum BlockTag: Sendable, Equatable {
    case latest, pending, safe, finalized, earliest
    case number(UInt64)
    case hash(Hash32)

    /// Parses parameter `index`; an absent parameter means `latest`.
    static func parse(_ params: JSONRPCParams, _ index: Int) throws(JSONRPCError) -> BlockTag {
        guard let value = params[index], value != .null else { return .latest }
        if let s = value.stringValue {
            switch s {
            case "latest": return .latest
            case "pending": return .pending
            case "safe": return .safe
            case "finalized": return .finalized
            case "earliest": return .earliest
            default:
                if s.count == 66, let h = Hash32(hex: s) { return .hash(h) }
                if let n = RPCHex.quantity(s) { return .number(n) }
            }
        } else if let obj = value.objectValue {
            if let h = value["blockHash"]?.stringValue.flatMap({ Hash32(hex: $0) }) { return .hash(h) }
            if let n = value["blockNumber"]?.stringValue.flatMap(RPCHex.quantity) { return .number(n) }
            _ = obj
        }
        throw .invalidParams("invalid argument \(index): expected a block number (hex), a block hash or one of latest, pending, safe, finalized, earliest")
    }
}

/// Parsing of the hex forms Ethereum JSON-RPC uses.
enum RPCHex {
    /// A "0x…" quantity without leading zeros (geth accepts "0x0"; we also tolerate leading zeros).
    static func quantity(_ s: String) -> UInt64? {
        guard s.hasPrefix("0x") || s.hasPrefix("0X"), s.count > 2, s.count <= 18 else { return nil }
        return UInt64(s.dropFirst(2), radix: 16)
    }

    static func quantity256(_ s: String) -> UInt256? {
        guard s.hasPrefix("0x") || s.hasPrefix("0X"), s.count > 2 else { return nil }
        return UInt256(hexQuantity: s)
    }

    static func address(_ params: JSONRPCParams, _ index: Int) throws(JSONRPCError) -> Address {
        guard let s = params[index]?.stringValue, s.count == 42, let a = Address(hex: s) else {
            throw .invalidParams("invalid argument \(index): expected a 20-byte hex address")
        }
        return a
    }

    static func hash(_ params: JSONRPCParams, _ index: Int) throws(JSONRPCError) -> Hash32 {
        guard let s = params[index]?.stringValue, s.count == 66, let h = Hash32(hex: s) else {
            throw .invalidParams("invalid argument \(index): expected a 32-byte hex hash")
        }
        return h
    }
}
