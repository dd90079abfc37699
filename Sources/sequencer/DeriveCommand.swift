import CLI
import Ethereum
import JSON
import L1
import Primitives

/// `sequencer derive --l1 URL [--address ADDR …]`: rebuilds the L2 chain
/// from L1 data alone and prints its head, roots and the asked-for accounts.
enum DeriveCommand {
    static let flags = FlagSet([
        .init("l1", value: "URL", default: "http://127.0.0.1:8546", help: "The L1's JSON-RPC URL."),
        .init("address", value: "ADDR", help: "An account whose L2 balance and nonce to print (repeatable, or comma-separated)."),
    ])

    static func run(_ arguments: [String]) throws -> Int32 {
        let args = try flags.parse(arguments)
        if args.wantsHelp {
            print(flags.help(usage: "sequencer derive --l1 URL [--address ADDR …]",
                             summary: "Rebuilds the L2 chain from L1 data alone and prints one JSON object: head, state root, safe/finalized numbers, forced-queue cursor, batch count, and the balances (wei) and nonces of the given addresses."))
            return 0
        }
        if let extra = args.positionals.first { throw CommandLineError.unexpectedArgument(extra) }
        let addresses = try WalletOptions.addresses(repeatedFlag: "address", in: arguments)
        let url = args.string("l1") ?? "http://127.0.0.1:8546"
        guard let client = HTTPL1Client(url: url) else {
            throw CommandLineError.invalidValue(flag: "l1", value: url, expected: "a URL like http://127.0.0.1:8546")
        }
        return try CommandFailure.reporting {
            let derived = try DerivedL2.derive(from: client)
            print(json(derived, addresses: addresses).description)
            return 0
        }
    }

    static func json(_ d: DerivedL2, addresses: [Address]) -> JSONValue {
        let head = d.chain.head
        return .object([
            ("l2BlockNumber", .number(JSONNumber(head.number))),
            ("l2BlockHash", .string(d.chain.records.last!.hash.description)),
            ("stateRoot", .string(head.stateRoot.description)),
            ("safeBlockNumber", .number(JSONNumber(head.number))),
            ("finalizedBlockNumber", .number(JSONNumber(d.finalizedBlockNumber))),
            ("forcedQueueCursor", .number(JSONNumber(d.chain.forcedQueueCursor))),
            ("queueLength", .number(JSONNumber(UInt64(d.chain.queue.count)))),
            ("batches", .number(JSONNumber(d.batchCount))),
            ("l1BlockNumber", .number(JSONNumber(d.l1Head))),
            ("balances", .object(addresses.map { ($0.checksummed, .string(d.chain.state[$0].balance.description)) })),
            ("nonces", .object(addresses.map { ($0.checksummed, .number(JSONNumber(d.chain.state[$0].nonce))) })),
        ])
    }
}
