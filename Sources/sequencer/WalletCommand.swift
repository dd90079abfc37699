import CLI
import Foundation

/// `sequencer wallet SUBCOMMAND`: a small wallet for both RPCs: balances,
/// transfers with verified pre-confirmations, the L1 escape hatch (force,
/// force-include), the bridge (deposit, withdraw, claim) and checking a
/// pre-confirmation against the L1.
enum WalletCommand {
    /// One subcommand: its flags beyond the shared ones, help text and body.
    struct Subcommand: Sendable {
        let name: String
        let usage: String
        let summary: String
        let flags: [FlagSet.Flag]
        let run: @Sendable (WalletOptions, ParsedArguments) throws -> Int32

        var flagSet: FlagSet { FlagSet(flags + WalletOptions.flags) }
    }

    static let transferFlags: [FlagSet.Flag] = [
        .init("to", value: "ADDR", help: "Recipient on L2."),
        .init("value", value: "AMOUNT", help: "Amount: wei, or with a gwei/eth suffix (1eth, 0.5eth, 20gwei)."),
        .init("data", value: "HEX", help: "Call data (default empty)."),
    ]

    static let subcommands: [Subcommand] = [
        Subcommand(name: "balance", usage: "balance [ADDR]", summary: "Shows an account's L2 balance (from the sequencer, or derived from L1 when it is down) and L1 balance.",
                   flags: [], run: balance),
        Subcommand(name: "send", usage: "send --to ADDR --value AMOUNT [--data HEX]",
                   summary: "Sends an EIP-1559 transfer through the sequencer and verifies its signed pre-confirmation.",
                   flags: transferFlags, run: send),
        Subcommand(name: "force", usage: "force --to ADDR --value AMOUNT [--data HEX] | --raw HEX",
                   summary: "Signs an L2 transfer (or takes a signed one with --raw) and puts it in the L1 forced-inclusion queue (works with the sequencer down).",
                   flags: transferFlags + [.init("raw", value: "HEX", help: "An already signed L2 transaction to enqueue as is (e.g. one the sequencer withholds).")],
                   run: force),
        Subcommand(name: "deposit", usage: "deposit --value AMOUNT [--to ADDR]", summary: "Locks L1 ETH and credits it on L2 (a signed L1 deposit).",
                   flags: [.init("value", value: "AMOUNT", help: "Amount to deposit."), .init("to", value: "ADDR", help: "L2 recipient (default: the signer).")],
                   run: deposit),
        Subcommand(name: "withdraw", usage: "withdraw --value AMOUNT [--to L1ADDR] [--force]",
                   summary: "Withdraws L2 ETH to L1 (a transfer to 0x4200…0016), through the sequencer or, with --force, the L1 queue.",
                   flags: [.init("value", value: "AMOUNT", help: "Amount to withdraw."), .init("to", value: "L1ADDR", help: "L1 recipient (default: the signer)."),
                           .init("force", help: "Go through the L1 forced-inclusion queue instead of the sequencer.")],
                   run: withdraw),
        Subcommand(name: "claim", usage: "claim [--tx HASH | --block N --index I]",
                   summary: "Claims a withdrawal on L1 with a Merkle proof built from L1 data alone (default: the latest withdrawal to the signer).",
                   flags: [.init("tx", value: "HASH", help: "The L2 transaction that withdrew."),
                           .init("block", value: "N", help: "The L2 block holding the withdrawal."),
                           .init("index", value: "I", help: "The withdrawal's index in its block.")],
                   run: claim),
        Subcommand(name: "force-include", usage: "force-include", summary: "Asks the L1 to append every overdue queue item to the L2 chain (anyone may).",
                   flags: [], run: forceInclude),
        Subcommand(name: "mine", usage: "mine [N]", summary: "Mines N L1 blocks now (dev L1 only; default 1).", flags: [], run: mine),
        Subcommand(name: "status", usage: "status HASH [--censorship-blocks N] [--raw HEX]",
                   summary: "A transaction's story from the sequencer and from the L1 itself; flags likely censorship and says how to force it in.",
                   flags: [.init("censorship-blocks", value: "N", default: "10",
                                 help: "Flag likely censorship after N L2 blocks with other transactions were sealed while it waited."),
                           .init("raw", value: "HEX", help: "The signed transaction, when the sequencer does not hand it out."),
                           .init("since-block", value: "N", help: "Count waiting from this L2 block (default: when the sequencer queued it).")],
                   run: status),
        Subcommand(name: "verify-preconf", usage: "verify-preconf JSON|FILE|- | --tx HASH",
                   summary: "Checks a pre-confirmation's signature, then holds it to the L1: kept, not yet due, or broken (exit 3, with the evidence).",
                   flags: [.init("tx", value: "HASH", help: "Fetch the pre-confirmation from the sequencer (seq_getPreconfirmation).")],
                   run: verifyPreconf),
    ]

    static func run(_ arguments: [String]) throws -> Int32 {
        guard let name = arguments.first, !name.hasPrefix("-") || name == "--help" || name == "-h" else {
            printUsage()
            return 2
        }
        if name == "--help" || name == "-h" || name == "help" {
            printUsage()
            return 0
        }
        guard let sub = subcommands.first(where: { $0.name == name }) else {
            throw CommandLineError.unknownCommand("wallet \(name)", known: subcommands.map { "wallet \($0.name)" })
        }
        let args = try sub.flagSet.parse(Array(arguments.dropFirst()))
        if args.wantsHelp {
            print(sub.flagSet.help(usage: "sequencer wallet \(sub.usage) [flags]", summary: sub.summary))
            return 0
        }
        let options = try WalletOptions(args)
        return try CommandFailure.reporting { try sub.run(options, args) }
    }

    static func printUsage() {
        print("sequencer wallet: a wallet for the sequencer and its L1.\n\nSubcommands:")
        for s in subcommands { print("  \(s.usage.padding(toLength: 48, withPad: " ", startingAt: 0)) \(s.summary)") }
        print("\nShared flags: --rpc URL, --l1 URL, --account N | --key HEX, --json. Run `sequencer wallet SUBCOMMAND --help` for more.")
    }

    /// Refuses positionals beyond `allowed`.
    static func positionals(_ args: ParsedArguments, max allowed: Int) throws(CommandLineError) -> [String] {
        if args.positionals.count > allowed { throw .unexpectedArgument(args.positionals[allowed]) }
        return args.positionals
    }
}
