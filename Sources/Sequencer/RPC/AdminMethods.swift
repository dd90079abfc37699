import Ethereum
import JSON
import JSONRPC
import Primitives
import Synchronization

/// The operator's switches, as `seq_status` and `admin_status` report them.
public struct OperatorControls: Sendable, Equatable {
    public var policy: String = "fcfs"
    public var censored: [Address] = []
    public var paused = false
}

/// Why an admin call was refused.
public enum AdminError: Error, Sendable, JSONRPCErrorConvertible {
    case unauthorized
    case unknownPolicy(String)

    public var jsonRPCError: JSONRPCError {
        switch self {
        case .unauthorized:
            .server("unauthorized: admin methods need the header Authorization: Bearer <admin token>", code: -32001)
        case let .unknownPolicy(name):
            .invalidParams("unknown policy '\(name)': one of \(OrderingPolicies.names.joined(separator: ", "))")
        }
    }
}

/// Checks the admin bearer token (constant time in the token's length).
public struct AdminToken: Sendable {
    public let value: String

    public init(_ value: String) { self.value = value }

    /// A fresh random token, printed at start when the operator set none.
    public static func random() -> AdminToken {
        var rng = SystemRandomNumberGenerator()
        return AdminToken((0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &rng)) }.joined())
    }

    /// Whether an `Authorization` header carries this token.
    public func accepts(_ header: String?) -> Bool {
        guard let header, header.hasPrefix("Bearer ") else { return false }
        let given = Array(header.dropFirst(7).utf8), want = Array(value.utf8)
        guard given.count == want.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<want.count { diff |= given[i] ^ want[i] }
        return diff == 0
    }
}

/// `admin_` methods: ordering policy, censor list, pause, sealing now. Every
/// call needs the bearer token; the HTTP layer answers 401 before a call
/// without it reaches here, and the methods check again.
struct AdminMethods: Sendable {
    let runtime: SequencerRuntime
    let token: AdminToken
    let log: NodeLog

    func register(into router: inout JSONRPCRouter) {
        let runtime = runtime, token = token, log = log
        @Sendable func authorize(_ call: JSONRPCCall) throws(AdminError) {
            guard token.accepts(call.context.authorization) else { throw .unauthorized }
        }
        router.registerDeferred("admin_setPolicy") { call, respond in
            try authorize(call)
            let name = try call.params.string(0)
            guard let policy = OrderingPolicies.named(name) else { throw AdminError.unknownPolicy(name) }
            runtime.withCore { core, now in
                let actions = core.setPolicy(policy, nowMillis: now)
                runtime.updateControls { $0.policy = name }
                log.event("policy changed", ["policy": name])
                respond(.success(Self.status(runtime.controls)))
                return actions
            }
        }
        router.registerDeferred("admin_setCensored") { call, respond in
            try authorize(call)
            let list = try call.params.array(0)
            var addresses: [Address] = []
            for (i, v) in list.enumerated() {
                guard let s = v.stringValue, s.count == 42, let a = Address(hex: s) else {
                    throw JSONRPCError.invalidParams("invalid argument 0: item \(i) is not an address")
                }
                addresses.append(a)
            }
            let set = Set(addresses)
            runtime.withCore { core, now in
                let actions = core.setCensored(set, nowMillis: now)
                runtime.updateControls { $0.censored = set.sorted() }
                log.event(set.isEmpty ? "censorship off" : "censorship on", ["addresses": set.sorted().map(\.checksummed).joined(separator: ",")])
                respond(.success(Self.status(runtime.controls)))
                return actions
            }
        }
        for (method, paused) in [("admin_pause", true), ("admin_resume", false)] {
            router.registerDeferred(method) { call, respond in
                try authorize(call)
                runtime.withCore { core, _ in
                    core.setPaused(paused)
                    runtime.updateControls { $0.paused = paused }
                    log.event(paused ? "paused" : "resumed", [:])
                    respond(.success(Self.status(runtime.controls)))
                    return []
                }
            }
        }
        router.register("admin_status") { call in
            try authorize(call)
            return .success(Self.status(runtime.controls))
        }
        router.registerDeferred("admin_sealBlock") { call, respond in
            try authorize(call)
            runtime.sealNow { respond(.success(.string("0x" + String(runtime.store.headNumber, radix: 16)))) }
        }
    }

    static func status(_ c: OperatorControls) -> JSONValue {
        .object([("policy", .string(c.policy)),
                 ("censored", .array(c.censored.map { .string($0.checksummed) })),
                 ("paused", .bool(c.paused))])
    }
}
