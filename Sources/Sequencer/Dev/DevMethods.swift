import Ethereum
import JSON
import JSONRPC
import Primitives
import Rollup

/// The dev-node methods wallet test suites call, under the names local dev
/// nodes use (`evm_*`, `anvil_*`, `hardhat_*`): mining and time control,
/// snapshots, balances, nonces, impersonation, dropping and resetting. On a
/// node that posts to a separate L1 they answer -32004 with the reason.
struct DevMethods: Sendable {
    let dev: DevChain
    let store: ChainStore

    func register(into router: inout JSONRPCRouter) {
        let dev = dev, store = store
        router.registerDeferred("evm_mine") { call, respond in
            let timestamp = try Self.optionalQuantity(call.params, 0, what: "timestamp")
            dev.change(respond, answer: .string("0x0")) { core, now in
                core.mine(count: 1, intervalSeconds: nil, timestamp: timestamp, nowMillis: now)
            }
        }
        for name in ["anvil_mine", "hardhat_mine"] {
            router.registerDeferred(name) { call, respond in
                let count = try Self.optionalQuantity(call.params, 0, what: "block count") ?? 1
                guard count <= 100_000 else { throw JSONRPCError.invalidParams("invalid argument 0: at most 100000 blocks at once") }
                let interval = try Self.optionalQuantity(call.params, 1, what: "interval")
                dev.change(respond) { core, now in core.mine(count: count, intervalSeconds: interval, timestamp: nil, nowMillis: now) }
            }
        }
        for name in ["evm_setAutomine", "anvil_setAutomine"] {
            router.registerDeferred(name) { call, respond in
                let on = try call.params.bool(0)
                let blockTime: UInt64? = on ? 0 : dev.interval.withLock { $0 }
                dev.change(respond) { core, now in .success(core.setBlockTime(blockTime, nowMillis: now)) }
            }
        }
        for name in ["evm_setIntervalMining", "anvil_setIntervalMining"] {
            router.registerDeferred(name) { call, respond in
                let millis = try Self.requiredQuantity(call.params, 0, what: "interval in milliseconds")
                let newInterval: UInt64? = millis == 0 ? nil : millis
                dev.interval.withLock { $0 = newInterval }
                dev.change(respond) { core, now in
                    if newInterval == nil && core.sealsEachTransaction { return .success([]) }
                    return .success(core.setBlockTime(newInterval, nowMillis: now))
                }
            }
        }
        for name in ["evm_increaseTime", "anvil_increaseTime"] {
            router.registerDeferred(name) { call, respond in
                let seconds = try Self.requiredQuantity(call.params, 0, what: "seconds")
                guard seconds <= UInt64(Int64.max) else { throw JSONRPCError.invalidParams("invalid argument 0: too many seconds") }
                guard dev.enabled else { return respond.fail(DevOperationError.notAllowed) }
                dev.runtime.withCore({ core, _ in (core.increaseTime(by: Int64(seconds)), []) }) { total in
                    respond(.success(.string("0x" + String(UInt64(clamping: total), radix: 16))))
                }
            }
        }
        for name in ["evm_setNextBlockTimestamp", "anvil_setNextBlockTimestamp"] {
            router.registerDeferred(name) { call, respond in
                let timestamp = try Self.requiredQuantity(call.params, 0, what: "timestamp")
                dev.change(respond) { core, _ in core.setNextBlockTimestamp(timestamp).map { [] } }
            }
        }
        for name in ["evm_snapshot", "anvil_snapshot"] {
            router.registerDeferred(name) { _, respond in dev.snapshot(respond) }
        }
        for name in ["evm_revert", "anvil_revert"] {
            router.registerDeferred(name) { call, respond in
                let id = try Self.requiredQuantity(call.params, 0, what: "snapshot id")
                guard id > 0 else { return respond(.success(.bool(false))) }
                dev.revert(to: id, respond)
            }
        }
        for name in ["anvil_reset", "hardhat_reset"] {
            router.registerDeferred(name) { call, respond in
                if let options = call.params[0]?.objectValue, options.contains(where: { $0.key == "forking" }) {
                    throw JSONRPCError.invalidParams("forking is not supported: this dev chain is a rollup with its own genesis")
                }
                dev.revert(to: 0, respond) { _ in .null }
            }
        }
        for name in ["anvil_setBalance", "hardhat_setBalance"] {
            router.registerDeferred(name) { call, respond in
                let address = try RPCHex.address(call.params, 0)
                guard let s = call.params[1]?.stringValue, let amount = RPCHex.quantity256(s) else {
                    throw JSONRPCError.invalidParams("invalid argument 1: expected a balance in wei as a hex quantity")
                }
                dev.change(respond) { core, now in core.applyDev(.setBalance(address, amount), nowMillis: now) }
            }
        }
        for name in ["anvil_setNonce", "hardhat_setNonce"] {
            router.registerDeferred(name) { call, respond in
                let address = try RPCHex.address(call.params, 0)
                let nonce = try Self.requiredQuantity(call.params, 1, what: "nonce")
                dev.change(respond) { core, now in core.applyDev(.setNonce(address, nonce), nowMillis: now) }
            }
        }
        for (name, on) in [("anvil_impersonateAccount", true), ("hardhat_impersonateAccount", true),
                           ("anvil_stopImpersonatingAccount", false), ("hardhat_stopImpersonatingAccount", false)] {
            router.register(name) { call in
                let address = try RPCHex.address(call.params, 0)
                guard dev.enabled else { throw DevOperationError.notAllowed.jsonRPCError }
                dev.impersonated.withLock { set in
                    if on { set.insert(address) } else { set.remove(address) }
                }
                return .success(.null)
            }
        }
        for name in ["anvil_dropTransaction", "hardhat_dropTransaction"] {
            router.registerDeferred(name) { call, respond in
                let hash = try RPCHex.hash(call.params, 0)
                if let record = store.transaction(hash) {
                    return respond.fail(DevOperationError.alreadySequenced(hash, record.position))
                }
                dev.change(respond, answer: .string(hash.description)) { core, _ in core.dropWaiting(hash) }
            }
        }
    }

    /// A quantity given as hex or as a JSON number.
    static func optionalQuantity(_ params: JSONRPCParams, _ index: Int, what: String) throws(JSONRPCError) -> UInt64? {
        guard let value = params[index], value != .null else { return nil }
        if let s = value.stringValue, let n = RPCHex.quantity(s) ?? UInt64(s) { return n }
        if let n = value.uint64Value { return n }
        throw .invalidParams("invalid argument \(index): expected the \(what) as a hex quantity or a number")
    }

    static func requiredQuantity(_ params: JSONRPCParams, _ index: Int, what: String) throws(JSONRPCError) -> UInt64 {
        guard let n = try optionalQuantity(params, index, what: what) else {
            throw .invalidParams("missing argument \(index): the \(what)")
        }
        return n
    }
}
