import Ethereum
import Foundation
import JSON
import Primitives
import Sequencer

/// Loads a running node with transfers and reports what it sustains.
///
///     swift run -c release bench load --url http://127.0.0.1:P [--mode max|rate] [--rate 1000]
///         [--duration 10s] [--warmup 1s] [--connections N] [--window W] [--senders K]
///         [--method seq_sendRawTransaction|eth_sendRawTransaction] [--txs N] [--seed S] [--verify N]
///         [--realtime on|off]
///
/// Derives `K` sender keys from the seed, funds them from the dev accounts,
/// signs every transaction before the clock starts, then runs `max` (closed
/// loop: accepted tx/s) or `rate` (open loop at a fixed rate: latency from
/// each request's due time, p50/p99/p999). Prints the node's group-commit
/// figures from `GET /metrics` when it serves them, and a `result` line of
/// `key=value` pairs for scripts, and exits non-zero when the run failed.
func runLoadBench() {
    do {
        let options = try LoadOptions.parse(CommandLine.arguments)
        try LoadBench(options: options).run()
    } catch {
        print("  load: \(error)")
        exit(1)
    }
}

private struct LoadBench {
    let options: LoadOptions

    func run() throws {
        let o = options
        let control = try LoadConnection(o.node)
        guard let chainHex = try control.call("eth_chainId").stringValue, let chainID = UInt256(hexQuantity: chainHex)?.uint64 else {
            throw LoadError.rpcFailed(method: "eth_chainId", answer: "not a quantity")
        }
        let status = try control.call("seq_status")
        guard let sequencerHex = status["sequencer"]?.stringValue, let sequencer = Address(hex: sequencerHex) else {
            throw LoadError.rpcFailed(method: "seq_status", answer: "\(status)")
        }

        let setupStart = monotonicNanos()
        let keys = LoadSenders.keys(seed: o.seed, count: o.senders)
        let addresses = keys.map { Address(publicKey: $0.publicKey) }
        let perSender = (o.budget + o.senders - 1) / o.senders
        let need = UInt256(UInt64(perSender + 1)) * (UInt256(GasCost.transaction) * LoadPlan.maxFeePerGas + LoadPlan.value)
        let funded = try LoadSenders.fund(addresses, need: need, chainID: chainID, via: control)
        let nonces = try LoadSenders.nonces(of: addresses, via: control)
        let signStart = monotonicNanos()
        let plan = LoadPlan(keys: keys, firstNonces: nonces, count: o.budget, connections: o.connections,
                            chainID: chainID, method: o.method, node: o.node)
        let signSeconds = Double(monotonicNanos() - signStart) / 1e9
        print("  setup: \(o.senders) senders (\(funded) funded now), \(plan.count) transactions pre-signed in \(format(signSeconds))s"
              + " (setup \(format(Double(monotonicNanos() - setupStart) / 1e9))s); chain \(chainID), sequencer \(sequencer.checksummed)")

        let connections = try (0..<o.connections).map { _ in try LoadConnection(o.node) }
        let signed = o.method == "seq_sendRawTransaction"
        let walBefore = WALFigures(try? control.get("/metrics"))
        let sampleEvery = max(1, plan.count / max(1, o.verify))
        let outcome: LoadOutcome
        switch o.mode {
        case .max:
            print("  max: \(o.connections) connections × window \(o.window), \(o.senders) senders, \(o.method),"
                  + " \(format(o.warmup, 1))s warm-up + \(format(o.duration, 1))s")
            fflush(nil)
            outcome = try runClosedLoop(plan: plan, connections: connections, window: o.window, warmup: o.warmup,
                                        duration: o.duration, signed: signed, sampleEvery: sampleEvery)
        case .rate:
            let realtime = o.realtime && makeCurrentThreadRealtime()
            print("  rate: \(o.rate) tx/s open loop over \(o.connections) connections, \(o.senders) senders, \(o.method),"
                  + " \(format(o.warmup, 1))s warm-up + \(format(o.duration, 1))s"
                  + (o.realtime ? (realtime ? "; generator threads SCHED_FIFO" : "; SCHED_FIFO not permitted, running without") : ""))
            fflush(nil)
            outcome = try runOpenLoop(plan: plan, connections: connections, rate: o.rate, warmup: o.warmup,
                                      signed: signed, sampleEvery: sampleEvery, realtime: realtime)
        }
        if let before = walBefore, let after = WALFigures(try? control.get("/metrics")) {
            let records = after.records - before.records, syncs = after.syncs - before.syncs
            if syncs > 0 {
                print("  node WAL: \(Int(records)) records in \(Int(syncs)) group commits (\(format(records / syncs, 1)) per fsync),"
                      + " mean write+fsync \(format((after.seconds - before.seconds) / syncs * 1e3, 3)) ms")
            }
        }
        let checked = try verify(outcome.samples, plan: plan, signed: signed, chainID: chainID, sequencer: sequencer)
        report(outcome, checked: checked)
        if outcome.accepted == 0 || checked.bad > 0 { exit(1) }
    }

    private func report(_ r: LoadOutcome, checked: (good: Int, bad: Int, firstBad: String?)) {
        let ms = r.latencies.map { Double($0) / 1e6 }.sorted()
        let p50 = quantile(ms, 0.5), p99 = quantile(ms, 0.99), p999 = quantile(ms, 0.999), worst = ms.last ?? .nan
        let tps = r.windowSeconds > 0 ? Double(r.accepted) / r.windowSeconds : 0
        let errors = "errors \(r.failed), queued \(r.queued), unanswered \(r.unanswered)"
        let lat = "p50 \(millis(p50)) ms  p99 \(millis(p99)) ms  p999 \(millis(p999)) ms  max \(millis(worst)) ms"
        switch options.mode {
        case .max:
            print("  accepted \(r.accepted) in \(format(r.windowSeconds))s = \(Int(tps.rounded())) tx/s (\(errors));"
                  + " closed-loop latency \(lat)")
        case .rate:
            func figures(_ nanos: [UInt64]) -> String {
                let s = nanos.map { Double($0) / 1e6 }.sorted()
                return "p50 \(millis(quantile(s, 0.5))) ms  p99 \(millis(quantile(s, 0.99))) ms"
                    + "  p999 \(millis(quantile(s, 0.999))) ms  max \(millis(s.last ?? .nan)) ms"
            }
            print("  latency from due time: \(lat)")
            print("  latency from actual send: \(figures(r.serviceLatencies)); generator send lag \(figures(r.sendLags))")
            print("  achieved \(format(tps, 1)) tx/s of \(options.rate) offered; \(r.accepted) measured; \(errors)")
        }
        if r.exhausted { print("  note: the pre-signed transactions ran out before the end; raise --txs") }
        if let e = r.firstError { print("  first error: \(e)") }
        print("  checked \(checked.good + checked.bad) answers: \(checked.bad) bad" + (checked.firstBad.map { " (first: \($0))" } ?? ""))
        print("result mode=\(options.mode) tps=\(format(tps, 1)) accepted=\(r.accepted) errors=\(r.errors)"
              + " p50_ms=\(millis(p50)) p99_ms=\(millis(p99)) p999_ms=\(millis(p999)) max_ms=\(millis(worst))"
              + " bad_signatures=\(checked.bad)")
    }

    /// Checks kept answers: the pre-confirmation names the transaction sent,
    /// has a place, and its signature recovers to the node's sequencer.
    private func verify(_ samples: [(index: Int, body: [UInt8])], plan: LoadPlan, signed: Bool, chainID: UInt64,
                        sequencer: Address) throws -> (good: Int, bad: Int, firstBad: String?) {
        var good = 0, bad = 0
        var firstBad: String?
        var positions = Set<ChainPosition>()
        for (index, body) in samples {
            guard let result = (try? JSONParser.parse(body))?["result"] else { continue }
            let expected = plan.hashes[index]
            let problem: String?
            if signed {
                if result["status"]?.stringValue == "queued" { continue }
                problem = check(result, expected: expected, chainID: chainID, sequencer: sequencer, positions: &positions)
            } else {
                problem = result.stringValue == expected.description ? nil : "hash \(result) for \(expected)"
            }
            if let problem {
                bad += 1
                if firstBad == nil { firstBad = "tx #\(index): \(problem)" }
            } else {
                good += 1
            }
        }
        return (good, bad, firstBad)
    }

    private func check(_ r: JSONValue, expected: Hash32, chainID: UInt64, sequencer: Address,
                       positions: inout Set<ChainPosition>) -> String? {
        func quantity(_ key: String) -> UInt64? {
            if let s = r[key]?.stringValue { return UInt256(hexQuantity: s)?.uint64 }
            return r[key]?.uint64Value
        }
        guard let hash = r["txHash"]?.stringValue.flatMap({ Hash32(hex: $0) }), hash == expected else { return "txHash is not the one sent" }
        guard let block = quantity("blockNumber"), let index = quantity("index"), let timestamp = quantity("timestamp"),
              let chain = quantity("chainId"), chain == chainID else { return "missing blockNumber/index/timestamp/chainId" }
        guard let signer = r["sequencer"]?.stringValue.flatMap({ Address(hex: $0) }), signer == sequencer else { return "sequencer field differs from seq_status" }
        guard let signature = r["signature"]?.stringValue.flatMap({ Hex.decode($0) }) else { return "no signature" }
        let position = ChainPosition(blockNumber: block, index: Int(index))
        guard positions.insert(position).inserted else { return "position \(position) promised twice" }
        let promise = PreConfirmation(chainID: chain, transactionHash: hash, position: position, timestamp: timestamp,
                                      sequencer: signer, signature: signature)
        return promise.isValid ? nil : "signature does not recover to \(sequencer.checksummed)"
    }
}

/// The group-commit counters of the node's `GET /metrics` (Prometheus text).
private struct WALFigures {
    var records = 0.0
    var syncs = 0.0
    var seconds = 0.0

    init?(_ text: String?) {
        guard let text else { return nil }
        var found = 0
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let v = Double(parts[1]) else { continue }
            switch parts[0] {
            case "sequencer_wal_records_total": records = v; found += 1
            case "sequencer_wal_fsync_seconds_count": syncs = v; found += 1
            case "sequencer_wal_fsync_seconds_sum": seconds = v; found += 1
            default: break
            }
        }
        if found < 3 { return nil }
    }
}

/// Milliseconds with three decimals, or `nan` when there was nothing to measure.
private func millis(_ x: Double) -> String {
    x.isFinite ? format(x, 3) : "nan"
}
