import CLI
import Ethereum
import Foundation
import L1
import Primitives

/// `sequencer l1`: runs the simulated L1 (inbox, forced-inclusion queue,
/// bridge) as its own service with its own block clock and log.
enum L1Command {
    static let flags = FlagSet([
        .init("host", value: "HOST", default: "127.0.0.1", help: "Address to listen on (0.0.0.0 for all interfaces)."),
        .init("port", value: "PORT", default: "8546", help: "Port for the L1 JSON-RPC over HTTP."),
        .init("block-time", value: "DURATION", default: "1s", help: "L1 block interval; 0 mines only on l1_mine."),
        .init("force-delay", value: "BLOCKS", default: "10", help: "L1 blocks after which a queued item may be force-included."),
        .init("finality-depth", value: "BLOCKS", default: "5", help: "L1 blocks after which an L2 block is final and its withdrawals claimable."),
        .init("data-dir", value: "DIR", help: "Directory for the L1 log (default: a new temporary directory)."),
        .init("sequencer-address", value: "ADDR", help: "The only address whose batches the inbox accepts (default: the well-known dev sequencer)."),
        .init("silent", help: "No banner and no log lines: print only `Listening on HOST:PORT` (and errors)."),
    ] + DevAccountOptions.flags)

    static func run(_ arguments: [String]) throws -> Int32 {
        let args = try flags.parse(arguments)
        if args.wantsHelp {
            print(flags.help(usage: "sequencer l1 [flags]", summary: "Runs the simulated L1: sequencer inbox, forced-inclusion queue and bridge."))
            return 0
        }
        if let extra = args.positionals.first { throw CommandLineError.unexpectedArgument(extra) }
        let accounts = try DevAccountOptions(args)
        var sequencer = L1Configuration.devSequencerAddress
        if let text = args.string("sequencer-address") {
            guard let address = Address(hex: text) else {
                throw CommandLineError.invalidValue(flag: "sequencer-address", value: text, expected: "a 20-byte address in hex")
            }
            sequencer = address
        }
        var config = L1Configuration(sequencerAddress: sequencer, l2Allocations: accounts.allocations, l1Allocations: accounts.allocations)
        config.forceInclusionDelay = try args.uint64("force-delay") ?? config.forceInclusionDelay
        config.finalityDepth = try args.uint64("finality-depth") ?? config.finalityDepth
        let host = args.string("host") ?? "127.0.0.1"
        let port = try args.int("port", in: 0...65535) ?? 8546
        let blockTime = try args.duration("block-time") ?? .seconds(1)
        let directory = args.string("data-dir")
            ?? NSTemporaryDirectory() + "sequencer-l1-" + UUID().uuidString.prefix(8).lowercased()

        let server: L1Server
        do {
            let node = try L1Node(configuration: config, directory: directory)
            server = L1Server(node: node, host: host, port: port, blockTime: blockTime)
            try server.start()
        } catch {
            FileHandle.standardError.write(Data("error: cannot start the L1: \(error)\n".utf8))
            return 1
        }
        let silent = args.bool("silent")
        if !silent { printBanner(server: server, host: host, blockTime: blockTime, directory: directory, accounts: accounts) }
        print("Listening on \(host):\(server.port)")
        fflush(nil)
        server.runUntilSignalled()
        if !silent { print("Shut down cleanly; L1 log kept in \(directory)") }
        return 0
    }

    static func printBanner(server: L1Server, host: String, blockTime: Duration, directory: String, accounts: DevAccountOptions) {
        let chain = server.node.snapshot
        let c = chain.configuration
        print("""
        sequencer l1 — simulated L1 (sequencer inbox, forced-inclusion queue, bridge)

        Accounts (L1)
        ==================
        """)
        for (i, a) in accounts.addresses.enumerated() {
            print("(\(i)) \(a.checksummed) (\(WeiAmount.ether(chain.balance(of: a))) ETH)")
        }
        print("""

        RPC URL:               http://\(host):\(server.port)
        Block time:            \(blockTime == .zero ? "0 (mined on l1_mine only)" : DurationArgument.format(blockTime))
        Force-inclusion delay: \(c.forceInclusionDelay) L1 blocks
        Finality depth:        \(c.finalityDepth) L1 blocks
        L2 chain ID:           \(c.chain.chainID)
        L2 genesis:            \(accounts.addresses.count) dev accounts of "\(accounts.mnemonic.phrase)", \(WeiAmount.ether(accounts.balance)) ETH each (start the node with the same --mnemonic, --accounts, --balance)
        Sequencer address:     \(c.sequencerAddress.checksummed) (the only batch poster)
        """)
        if c.sequencerAddress == L1Configuration.devSequencerAddress {
            print("Sequencer key:         0x\(Hex.encode(L1Configuration.devSequencerKey.bytes, prefix: false)) (well-known dev key; never use with real funds)")
        }
        print("""
        Data directory:        \(directory)
        Recovered:             \(server.node.recoveredRecords) log records; L1 head \(chain.head.number), L2 head \(chain.canonical.head.number)

        """)
    }
}
