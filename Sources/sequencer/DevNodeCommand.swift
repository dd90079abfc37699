import CLI
import Ethereum
import Foundation
import Primitives
import Secp256k1
import Sequencer

/// Starts the node and prints the banner local dev nodes print.
enum DevNodeCommand {
    static let flags = FlagSet([
        .init("host", value: "HOST", default: "127.0.0.1", help: "Address to listen on (0.0.0.0 for all interfaces)."),
        .init("port", value: "PORT", default: "8545", help: "Port for JSON-RPC over HTTP."),
        .init("chain-id", value: "N", default: "31337", help: "L2 chain id transactions must be signed for."),
        .init("block-time", value: "DURATION", default: "250ms", help: "How long a block stays open; 0 seals a block per transaction."),
        .init("data-dir", value: "DIR", help: "Directory for the write-ahead log (default: a new temporary directory)."),
        .init("sequencer-key", value: "HEX", help: "Private key that signs pre-confirmations (default: the well-known dev key)."),
        .init("event-loops", value: "N", help: "I/O threads (default: one per core)."),
        .init("policy", value: "NAME", default: "fcfs", help: "Ordering policy: fcfs (place on arrival), priority (highest tip first per block), fair (shuffled with the parent hash)."),
        .init("censor", value: "ADDR,…", help: "Withhold transactions from or to these addresses, as a censoring operator would (for demonstrations)."),
        .init("admin-token", value: "TOKEN", help: "Bearer token for admin_ methods (default: a random one, printed at start)."),
        .init("silent", help: "No banner and no log lines: print only `Listening on HOST:PORT` (and errors)."),
        .init("l1", value: "URL", help: "A separate L1 (`sequencer l1`) to batch to and watch; without it the dev node embeds one."),
        .init("l1-port", value: "PORT", help: "Port of the embedded L1's JSON-RPC (default: --port + 1, or any free port with --port 0)."),
        .init("l1-block-time", value: "DURATION", default: "1s", help: "Embedded L1: time between L1 blocks."),
        .init("force-delay", value: "N", default: "10", help: "Embedded L1: L1 blocks before a queued item may be forced in."),
        .init("finality-depth", value: "N", default: "5", help: "Embedded L1: L1 blocks before a batch is final and its withdrawals claimable."),
        .init("batch-max-age", value: "DURATION", default: "2s", help: "Post a batch once its oldest block is this old."),
        .init("max-connections", value: "N", default: "10000", help: "Open HTTP connections beyond which new ones get 503."),
        .init("batch-max-bytes", value: "N", default: "120000", help: "Post a batch once its transactions take this many bytes."),
        .init("ignore-forced-queue", help: "Never include L1 forced-queue items: a fully malicious sequencer, for demonstrations only."),
    ] + DevAccountOptions.flags)

    static func run(_ arguments: [String], name: String) throws -> Int32 {
        let args = try flags.parse(arguments)
        if args.wantsHelp {
            print(flags.help(usage: "\(name) [flags]", summary: "Runs the sequencer node with an Ethereum JSON-RPC endpoint."))
            return 0
        }
        if let extra = args.positionals.first { throw CommandLineError.unexpectedArgument(extra) }
        var config = NodeConfiguration()
        let accounts = try DevAccountOptions(args)
        config.useDevAccounts(accounts.keys, balance: accounts.balance)
        config.host = args.string("host") ?? config.host
        config.port = try args.int("port", in: 0...65535) ?? config.port
        config.chainID = try args.uint64("chain-id") ?? config.chainID
        if let d = try args.duration("block-time") {
            config.blockTimeMillis = UInt64(d.components.seconds) * 1000 + UInt64(d.components.attoseconds / 1_000_000_000_000_000)
        }
        config.dataDirectory = args.string("data-dir")
        config.eventLoops = try args.int("event-loops", in: 1...256) ?? 0
        if let hex = args.string("sequencer-key") {
            guard let bytes = Hex.decode(hex), let key = try? Secp256k1.PrivateKey(bytes: bytes) else {
                throw CommandLineError.invalidValue(flag: "sequencer-key", value: hex, expected: "a 32-byte private key in hex")
            }
            config.sequencerKey = key
        }
        if let policy = args.string("policy") {
            guard OrderingPolicies.named(policy) != nil else {
                throw CommandLineError.invalidValue(flag: "policy", value: policy, expected: OrderingPolicies.names.joined(separator: ", "))
            }
            config.policy = policy
        }
        for text in args.list("censor") {
            guard let address = Address(hex: text), text.count == 42 || text.count == 40 else {
                throw CommandLineError.invalidValue(flag: "censor", value: text, expected: "comma-separated 20-byte hex addresses")
            }
            config.censored.append(address)
        }
        config.adminToken = args.string("admin-token")
        if let url = args.string("l1") {
            config.l1 = .remote(url: url)
        } else if name == "sequencer node" {
            throw CommandLineError.missingArgument("--l1 URL (the L1 this node posts to; the dev node `sequencer` embeds one instead)")
        } else {
            let l1Port = try args.int("l1-port", in: 0...65535) ?? (config.port == 0 ? 0 : config.port + 1)
            config.l1 = .embedded(host: config.host, port: l1Port, blockTime: try args.duration("l1-block-time") ?? .seconds(1),
                                  forceInclusionDelay: try args.uint64("force-delay") ?? 10,
                                  finalityDepth: try args.uint64("finality-depth") ?? 5)
            config.devOperations = true
        }
        config.batchLimits.maxAge = try args.duration("batch-max-age") ?? config.batchLimits.maxAge
        config.batchLimits.maxBytes = try args.int("batch-max-bytes", in: 1_000...10_000_000) ?? config.batchLimits.maxBytes
        config.maxConnections = try args.int("max-connections", in: 1...1_000_000) ?? config.maxConnections
        config.ignoreForcedQueue = args.bool("ignore-forced-queue")
        config.logging = !args.bool("silent")
        let node: SequencerNode
        do {
            node = try SequencerNode(configuration: config)
            try node.start()
        } catch {
            FileHandle.standardError.write(Data("error: cannot start the node: \(error)\n".utf8))
            return 1
        }
        let silent = args.bool("silent")
        if !silent { printBanner(config: config, node: node, accounts: accounts) }
        print("Listening on \(config.host):\(node.port)")
        fflush(nil)
        node.runUntilSignalled()
        if !silent { print("Shut down cleanly; data kept in \(node.dataDirectory)") }
        return 0
    }

    static func l1Description(config: NodeConfiguration, node: SequencerNode) -> String {
        switch config.l1 {
        case .none: return "none"
        case let .remote(url): return "\(url) (separate)"
        case let .embedded(host, _, blockTime, delay, depth):
            return "http://\(host):\(node.l1Server?.port ?? 0) (embedded; block time \(DurationArgument.format(blockTime)), force delay \(delay) blocks, finality \(depth) blocks)"
        }
    }

    static func printBanner(config: NodeConfiguration, node: SequencerNode, accounts: DevAccountOptions) {
        print("sequencer — rollup dev node (pre-confirmations, write-ahead log)\n")
        print(accounts.bannerSections(privateKeys: true), terminator: "")
        print("""

        Chain ID:          \(config.chainID)
        RPC URL:           http://\(config.host):\(node.port)
        Block time:        \(config.blockTimeMillis == 0 ? "0 (a block per transaction)" : "\(config.blockTimeMillis)ms")
        Sequencer address: \(config.sequencerAddress.checksummed) (signs pre-confirmations)
        Data directory:    \(node.dataDirectory)
        L1:                \(l1Description(config: config, node: node))
        Recovered:         \(node.runtime.recoveredRecords) log records
        Ordering policy:   \(config.policy)\(config.censored.isEmpty ? "" : " (censoring \(config.censored.map(\.checksummed).joined(separator: ", ")))")
        Admin token:       \(node.adminToken.value) (Authorization: Bearer … for admin_ methods)
        """)
        if config.sequencerKey == NodeConfiguration.devSequencerKey {
            print("Sequencer key:     0x\(Hex.encode(config.sequencerKey.bytes, prefix: false)) (well-known dev key; never use with real funds)")
        }
        print("")
    }
}
