import Ethereum
import JSON
import JSONRPC
import Primitives

/// What an `eth_subscribe` call asked for.
public enum SubscriptionKind: Sendable, Equatable {
    /// Each sealed block's header, in order: `eth_getBlockByNumber`'s object without the body.
    case newHeads
    /// Each transaction as it is sequenced or queued: its hash, or with
    /// `fullTransactions` the object `eth_getTransactionByHash` returns.
    case newPendingTransactions(fullTransactions: Bool)
    /// Logs matching a filter. This chain runs no contracts, so receipts hold
    /// no logs and such a subscription is accepted but never notified.
    case logs(LogFilter)
    /// Each signed pre-confirmation, the same JSON as the SSE feed's.
    case preconfirmations

    /// Parses `eth_subscribe`'s parameters: the kind name, then a filter for `logs`.
    static func parse(_ params: JSONRPCParams) throws(SubscriptionError) -> SubscriptionKind {
        guard let name = params[0]?.stringValue else { throw .missingKind }
        let extra = params.count > 1 ? params[1] : nil
        switch name {
        case "newHeads", "preconfirmations":
            if let extra, !extra.isNull { throw .unexpectedParameter(kind: name) }
            return name == "newHeads" ? .newHeads : .preconfirmations
        case "newPendingTransactions":
            guard let extra, !extra.isNull else { return .newPendingTransactions(fullTransactions: false) }
            guard let full = extra.boolValue else { throw .invalidFilter("newPendingTransactions takes a boolean (full transactions)") }
            return .newPendingTransactions(fullTransactions: full)
        case "logs":
            return .logs(try LogFilter.parse(extra))
        default:
            throw .unknownKind(name)
        }
    }

    /// The tag the hub indexes subscriptions by.
    var tag: Tag {
        switch self {
        case .newHeads: .newHeads
        case .newPendingTransactions: .newPendingTransactions
        case .logs: .logs
        case .preconfirmations: .preconfirmations
        }
    }

    enum Tag: Sendable, Hashable, CaseIterable {
        case newHeads, newPendingTransactions, logs, preconfirmations
    }
}

/// The filter of a `logs` subscription: addresses (any of) and up to four
/// topic positions, each null (anything) or a list of alternatives.
public struct LogFilter: Sendable, Equatable {
    public var addresses: [Address]
    public var topics: [[Hash32]?]

    static func parse(_ value: JSONValue?) throws(SubscriptionError) -> LogFilter {
        guard let value, !value.isNull else { return LogFilter(addresses: [], topics: []) }
        guard let members = value.objectValue else { throw .invalidFilter("the filter must be an object") }
        var filter = LogFilter(addresses: [], topics: [])
        for (key, member) in members {
            switch key {
            case "address":
                filter.addresses = try addressList(member)
            case "topics":
                guard let positions = member.arrayValue else { throw .invalidFilter("topics must be an array") }
                guard positions.count <= 4 else { throw .invalidFilter("at most 4 topic positions, got \(positions.count)") }
                filter.topics = try positions.enumerated().map { (i, p) throws(SubscriptionError) in try topicAlternatives(p, position: i) }
            case "fromBlock", "toBlock", "blockHash":
                throw .invalidFilter("\(key) is not allowed in a subscription: it follows new blocks")
            default:
                throw .invalidFilter("unknown filter field \(key)")
            }
        }
        return filter
    }

    private static func addressList(_ value: JSONValue) throws(SubscriptionError) -> [Address] {
        let items = value.arrayValue ?? [value]
        var out: [Address] = []
        for item in items {
            guard let s = item.stringValue, s.utf8.count == 42, let a = Address(hex: s) else {
                throw .invalidFilter("address must be a 20-byte hex string or a list of them")
            }
            out.append(a)
        }
        return out
    }

    private static func topicAlternatives(_ value: JSONValue, position: Int) throws(SubscriptionError) -> [Hash32]? {
        if value.isNull { return nil }
        let items = value.arrayValue ?? [value]
        var out: [Hash32] = []
        for item in items {
            guard let s = item.stringValue, s.utf8.count == 66, let h = Hash32(hex: s) else {
                throw .invalidFilter("topic \(position) must be null, a 32-byte hex string or a list of them")
            }
            out.append(h)
        }
        return out
    }
}

/// Why a subscription call was refused.
public enum SubscriptionError: Error, Sendable, Equatable, JSONRPCErrorConvertible {
    case missingKind
    case unknownKind(String)
    case unexpectedParameter(kind: String)
    case invalidFilter(String)
    case tooManySubscriptions(limit: Int)
    case notFound(String)
    /// The connection is closing: no new subscriptions.
    case connectionClosed

    public var jsonRPCError: JSONRPCError {
        switch self {
        case .missingKind:
            .invalidParams("invalid argument 0: expected a subscription name (newHeads, newPendingTransactions, logs, preconfirmations)")
        case let .unknownKind(name):
            .invalidParams("no such subscription \(name): one of newHeads, newPendingTransactions, logs, preconfirmations")
        case let .unexpectedParameter(kind):
            .invalidParams("invalid argument 1: \(kind) takes no parameters")
        case let .invalidFilter(detail):
            .invalidParams("invalid argument 1: \(detail)")
        case let .tooManySubscriptions(limit):
            .server("too many subscriptions on this connection (limit \(limit))", code: -32005)
        case .notFound:
            .server("subscription not found")
        case .connectionClosed:
            .server("the connection is closing")
        }
    }
}
