import CLI
import Ethereum
import Foundation
import JSON
import L1
import Primitives
import Rollup
import Sequencer

/// `sequencer demo censorship` and `sequencer demo sequencer-down`: narrated,
/// timed walk-throughs of why a centralized sequencer with a forced-inclusion
/// queue is safe to use. Each starts its own L1 and (for the first) its own
/// sequencer in this process, drives them through their real JSON-RPC method
/// tables and L1 client, and exits 0 only if every step really happened.
enum DemoCommand {
    static let flags = FlagSet([
        .init("malicious", help: "censorship: the sequencer also ignores the L1 queue, so the victim forces the transfer in after the delay."),
        .init("force-delay", value: "N", default: "4", help: "L1 blocks before a queued item may be forced in."),
        .init("finality-depth", value: "N", default: "3", help: "L1 blocks before a withdrawal may be claimed."),
        .init("l1-block-time", value: "DURATION", default: "250ms", help: "Time between L1 blocks."),
        .init("block-time", value: "DURATION", default: "100ms", help: "Time between L2 blocks."),
        .init("timeout", value: "DURATION", default: "45s", help: "Give up (exit 1) if a step takes longer."),
    ])

    static func run(_ arguments: [String]) throws -> Int32 {
        guard let which = arguments.first, ["censorship", "sequencer-down"].contains(which) else {
            print("usage: sequencer demo censorship [--malicious] | sequencer demo sequencer-down   (--help for flags)")
            return 2
        }
        let args = try flags.parse(Array(arguments.dropFirst()))
        if args.wantsHelp {
            print(flags.help(usage: "sequencer demo \(which) [flags]", summary: "A narrated demonstration; exits 0 only if every step happened."))
            return 0
        }
        let settings = DemoSettings(
            forceDelay: try args.uint64("force-delay") ?? 4, finalityDepth: try args.uint64("finality-depth") ?? 3,
            l1BlockTime: try args.duration("l1-block-time") ?? .milliseconds(250),
            blockTime: try args.duration("block-time") ?? .milliseconds(100), timeout: try args.duration("timeout") ?? .seconds(45),
            malicious: args.bool("malicious"))
        let demo = try Demo(settings: settings, sequencerDown: which == "sequencer-down")
        defer { demo.stop() }
        do {
            if which == "censorship" { try demo.censorship() } else { try demo.sequencerDown() }
            demo.printSummary()
            print("\nDemo passed: every step happened.")
            return 0
        } catch {
            demo.printSummary()
            print("\nDemo FAILED: \(error)")
            return 1
        }
    }
}

struct DemoSettings {
    var forceDelay: UInt64
    var finalityDepth: UInt64
    var l1BlockTime: Duration
    var blockTime: Duration
    var timeout: Duration
    var malicious: Bool
}

struct DemoFailure: Error, CustomStringConvertible {
    let description: String
}
