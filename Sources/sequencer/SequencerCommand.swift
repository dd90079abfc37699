import CLI
import Foundation

/// The one executable: `sequencer` (dev node), `sequencer node`, `sequencer tx …`.
@main
struct SequencerCommand {
    static let commands: [(name: String, summary: String)] = [
        ("(none)", "Start the dev node: an L2 sequencer with funded dev accounts on 127.0.0.1:8545."),
        ("node", "Start the sequencer node (same flags as the dev node)."),
        ("l1", "Start the simulated L1: sequencer inbox, forced-inclusion queue, bridge (its own JSON-RPC)."),
        ("demo censorship", "A narrated demonstration: a censored user gets in and out through the L1 queue (--malicious: forced in)."),
        ("demo sequencer-down", "A narrated demonstration: forced transfer and exit with only the L1, then the sequencer catches up."),
        ("derive", "Rebuild the L2 chain from L1 data alone and print its head, state root and accounts."),
        ("wallet", "A wallet for both RPCs: balance, send, force, deposit, withdraw, claim, force-include, mine, status, verify-preconf."),
        ("tx decode", "Decode raw transactions (arguments, or one per line on standard input) to JSON."),
        ("tx sign", "Sign a transaction and print it as raw hex, ready for eth_sendRawTransaction."),
    ]

    static func main() {

        var args = Array(CommandLine.arguments.dropFirst())
        let exitCode: Int32
        do {
            switch args.first {
            case "tx":
                args.removeFirst()
                exitCode = try TransactionCommands.run(args)
            case "demo":
                args.removeFirst()
                exitCode = try DemoCommand.run(args)
            case "l1":
                args.removeFirst()
                exitCode = try L1Command.run(args)
            case "derive":
                args.removeFirst()
                exitCode = try DeriveCommand.run(args)
            case "wallet":
                args.removeFirst()
                exitCode = try WalletCommand.run(args)
            case "node":
                args.removeFirst()
                exitCode = try DevNodeCommand.run(args, name: "sequencer node")
            case "help":
                printUsage()
                exitCode = 0
            case let word? where !word.hasPrefix("-"):
                throw CommandLineError.unknownCommand(word, known: ["node", "l1", "derive", "wallet", "demo", "tx", "help"])
            default:
                if args.contains("--help") || args.contains("-h") { printUsage() }
                exitCode = try DevNodeCommand.run(args, name: "sequencer")
            }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            exitCode = 2
        }
        exit(exitCode)
    }

    static func printUsage() {
        print("sequencer: a rollup sequencer with pre-confirmations and a forced-inclusion queue.\n\nCommands:")
        for (name, summary) in commands { print("  \(name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(summary)") }
        print("\nRun `sequencer COMMAND --help` for its flags.\n")
    }
}
