import Dispatch
import Ethereum
import JSON
import JSONRPC
import L1
import Primitives
import Rollup
import Synchronization

/// What the dev methods act on: the sequencer, the embedded L1 (snapshots
/// and reverts move both layers together) and the gate that keeps the batch
/// poster and the forced-queue watcher out while they do.
final class DevChain: Sendable {
    let runtime: SequencerRuntime
    /// The embedded L1; nil when the node posts to a separate L1.
    let l1: L1Node?
    let gate: L1LinkGate
    /// Snapshots and reverts run here, one at a time, holding the gate.
    private let control = DispatchQueue(label: "dev-control")
    /// Addresses `eth_sendTransaction` may send from without a key (`anvil_impersonateAccount`).
    let impersonated = Mutex<Set<Address>>([])
    /// The interval mining falls back to when automine is switched off (nil: mine on request).
    let interval: Mutex<UInt64?>

    init(runtime: SequencerRuntime, l1: L1Node?, gate: L1LinkGate, initialBlockTimeMillis: UInt64) {
        self.runtime = runtime
        self.l1 = l1
        self.gate = gate
        self.interval = Mutex(initialBlockTimeMillis > 0 ? initialBlockTimeMillis : nil)
    }

    /// Whether state-changing dev methods are allowed (the dev node with its embedded L1).
    var enabled: Bool { runtime.chain.allowsDevOperations && l1 != nil }

    /// Runs a core change and answers once it is durable: `answer` on success, the error otherwise.
    func change(_ respond: JSONRPCResponder, answer: JSONValue = .null,
                _ body: @escaping @Sendable (inout SequencerCore, UInt64) -> Result<[SequencerCore.Action], DevOperationError>) {
        guard enabled else { return respond.fail(DevOperationError.notAllowed) }
        runtime.withCore({ core, now -> (DevOperationError?, [SequencerCore.Action]) in
            switch body(&core, now) {
            case let .success(actions): return (nil, actions)
            case let .failure(error): return (error, [])
            }
        }, completion: { error in
            if let error { respond.fail(error) } else { respond(.success(answer)) }
        })
    }

    /// Saves both layers as one snapshot; answers its id.
    func snapshot(_ respond: JSONRPCResponder) {
        guard enabled, let l1 else { return respond.fail(DevOperationError.notAllowed) }
        control.async { [self] in
            do {
                let id: UInt64 = try gate.withLock {
                    let id = onSequencerThread { core, _ in core.takeSnapshot() }
                    try l1.saveSnapshot(id: id)
                    return id
                }
                respond(.success(.string("0x" + String(id, radix: 16))))
            } catch {
                respond.fail(error)
            }
        }
    }

    /// Returns both layers to snapshot `id` (0: genesis); answers whether it existed.
    func revert(to id: UInt64, _ respond: JSONRPCResponder, answer: @escaping @Sendable (Bool) -> JSONValue = { .bool($0) }) {
        guard enabled, let l1 else { return respond.fail(DevOperationError.notAllowed) }
        control.async { [self] in
            do {
                let known: Bool = try gate.withLock {
                    let reverted = onSequencerThread { core, _ -> (Bool, [SequencerCore.Action]) in
                        guard let actions = core.revert(toSnapshot: id) else { return (false, []) }
                        return (true, actions)
                    }
                    guard reverted else { return false }
                    return try l1.revert(toSnapshot: id)
                }
                respond(.success(answer(known)))
            } catch {
                respond.fail(error)
            }
        }
    }

    /// Runs `body` on the sequencer thread and waits (on the control queue) until its actions are durable.
    private func onSequencerThread<T: Sendable>(_ body: @escaping @Sendable (inout SequencerCore, UInt64) -> (T, [SequencerCore.Action])) -> T {
        let done = DispatchSemaphore(value: 0)
        let result = Mutex<T?>(nil)
        runtime.withCore(body) { value in
            result.withLock { $0 = value }
            done.signal()
        }
        done.wait()
        return result.withLock { $0! }
    }
}
