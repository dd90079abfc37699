/// The flags of `bench load`, read from the command line.
///
///     bench load --url http://127.0.0.1:P [--mode max|rate] [--rate 1000] [--duration 10s]
///                [--warmup 1s] [--connections N] [--window W] [--senders K]
///                [--method seq_sendRawTransaction] [--txs N] [--seed S] [--verify N] [--realtime on|off]
struct LoadOptions {
    enum Mode: String { case max, rate }

    var node = try! NodeAddress(url: "http://127.0.0.1:8545")
    var mode = Mode.max
    /// Transactions per second offered in `rate` mode.
    var rate = 1000
    /// Measured seconds, after the warm-up.
    var duration = 10.0
    /// Seconds run before measuring (excluded from every figure).
    var warmup = 1.0
    var connections = 0
    /// Requests in flight per connection in `max` mode (HTTP pipelining).
    var window = 4
    var senders = 64
    var method = "seq_sendRawTransaction"
    /// Transactions to pre-sign; 0 picks a budget from the mode.
    var transactions = 0
    var seed = "load"
    /// Pre-confirmations to check after the run.
    var verify = 200
    /// Open loop: run the generator's two threads under `SCHED_FIFO`, so
    /// their own scheduling delays do not count against the node.
    var realtime = false

    /// Pre-signed transactions for `max` mode when `--txs` is not given, per second of run.
    static let maxModeBudgetPerSecond = 12_000

    static func parse(_ arguments: [String]) throws -> LoadOptions {
        var o = LoadOptions()
        func value(_ flag: String) -> String? {
            guard let i = arguments.firstIndex(of: flag), i + 1 < arguments.count else { return nil }
            return arguments[i + 1]
        }
        func int(_ flag: String, _ range: ClosedRange<Int>) throws -> Int? {
            guard let s = value(flag) else { return nil }
            guard let n = Int(s), range.contains(n) else { throw LoadError.badArgument("\(flag) \(s): expected an integer in \(range)") }
            return n
        }
        if let url = value("--url") { o.node = try NodeAddress(url: url) }
        if let m = value("--mode") {
            guard let mode = Mode(rawValue: m) else { throw LoadError.badArgument("--mode \(m): expected max or rate") }
            o.mode = mode
        }
        o.rate = try int("--rate", 1...1_000_000) ?? o.rate
        if let d = value("--duration") { o.duration = try seconds(d, flag: "--duration") }
        if let d = value("--warmup") { o.warmup = try seconds(d, flag: "--warmup") }
        o.connections = try int("--connections", 1...1024) ?? 16
        o.window = try int("--window", 1...16) ?? o.window
        o.senders = try int("--senders", 1...100_000) ?? o.senders
        o.method = value("--method") ?? o.method
        guard o.method == "seq_sendRawTransaction" || o.method == "eth_sendRawTransaction" else {
            throw LoadError.badArgument("--method \(o.method): expected seq_sendRawTransaction or eth_sendRawTransaction")
        }
        o.transactions = try int("--txs", 1...10_000_000) ?? 0
        o.seed = value("--seed") ?? o.seed
        o.verify = try int("--verify", 0...1_000_000) ?? o.verify
        switch value("--realtime") {
        case nil, "off": o.realtime = false
        case "on": o.realtime = true
        case let v?: throw LoadError.badArgument("--realtime \(v): expected on or off")
        }
        if o.senders < o.connections { o.senders = o.connections }
        return o
    }

    /// `10s`, `250ms`, `1.5s` or a bare number of seconds.
    static func seconds(_ s: String, flag: String) throws -> Double {
        let (number, scale): (Substring, Double) =
            s.hasSuffix("ms") ? (s.dropLast(2), 1e-3) : s.hasSuffix("s") ? (s.dropLast(), 1) : (Substring(s), 1)
        guard let v = Double(number), v >= 0 else { throw LoadError.badArgument("\(flag) \(s): expected a duration like 10s or 500ms") }
        return v * scale
    }

    /// Transactions to pre-sign for this run.
    var budget: Int {
        if transactions > 0 { return transactions }
        switch mode {
        case .max: return Int((warmup + duration) * Double(Self.maxModeBudgetPerSecond))
        case .rate: return Int(((warmup + duration) * Double(rate)).rounded(.up))
        }
    }
}
