import CLI
import Foundation
import Simulation

/// `simulate`: runs the deterministic simulation of the sequencer, the L1 and
/// their users over many seeds (or one), checks the invariants after every
/// step, prints a summary, and exits non-zero on any violation.
func runSimulate(_ arguments: [String]) -> Int32 {
    let flags = FlagSet([
        .init("seeds", value: "N", default: "100", help: "How many consecutive seeds to run."),
        .init("start", value: "S", default: "1", help: "The first seed."),
        .init("seed", value: "S", help: "Run this one seed and print its event trace hash."),
        .init("steps", value: "N", help: "Random steps per seed before the drain (default: the profile's)."),
        .init("profile", value: "NAME", default: "default", help: "Preset: default, or ci (the short runs the tests use)."),
        .init("delay", value: "BLOCKS", help: "L1 blocks before a queue item is overdue (default: the profile's, 6)."),
        .init("defect", value: "NAME", help: "Inject a deliberate defect: " + Defect.allCases.map(\.rawValue).joined(separator: ", ") + "."),
        .init("derive-every-change", help: "Re-derive the chain from the L1 after every inbox change (slow)."),
        .init("trace", help: "Print every event of the run (use with --seed)."),
        .init("quiet", help: "Print only failures and the summary."),
    ])
    let parsed: ParsedArguments
    do throws(CommandLineError) { parsed = try flags.parse(arguments) } catch {
        FileHandle.standardError.write(Data("simulate: \(error)\n".utf8))
        return 2
    }
    if parsed.wantsHelp {
        print(flags.help(usage: "simulate [--seeds N] [--start S] [--steps N] | --seed S",
                         summary: "Deterministic simulation of the forced-inclusion guarantee (issue #8)."))
        return 0
    }
    guard var configuration = SimulationConfiguration.named(parsed.string("profile") ?? "default") else {
        FileHandle.standardError.write(Data("simulate: unknown profile \(parsed.string("profile") ?? "")\n".utf8))
        return 2
    }
    let seeds: Int, start: UInt64, single: UInt64?
    do throws(CommandLineError) {
        if let steps = try parsed.int("steps", in: 0...1_000_000) { configuration.steps = steps }
        if let delay = try parsed.int("delay", in: 2...1_000) { configuration.forceInclusionDelay = UInt64(delay) }
        seeds = try parsed.int("seeds", in: 1...100_000_000) ?? 100
        start = UInt64(try parsed.int("start", in: 0...Int.max) ?? 1)
        single = try parsed.int("seed", in: 0...Int.max).map(UInt64.init)
    } catch {
        FileHandle.standardError.write(Data("simulate: \(error)\n".utf8))
        return 2
    }
    if let name = parsed.string("defect") {
        guard let defect = Defect(rawValue: name) else {
            FileHandle.standardError.write(Data("simulate: unknown defect \(name)\n".utf8))
            return 2
        }
        configuration.defect = defect
    }
    configuration.deriveOnEveryInboxChange = parsed.bool("derive-every-change")
    configuration.printTrace = parsed.bool("trace")
    let quiet = parsed.bool("quiet")

    let range: [UInt64] = single.map { [$0] } ?? (0..<UInt64(seeds)).map { start + $0 }
    var total = SimulationStatistics()
    var failures: [InvariantViolation] = []
    let clock = ContinuousClock()
    let began = clock.now
    for (i, seed) in range.enumerated() {
        let result = Simulation.run(seed: seed, configuration: configuration)
        total.add(result.statistics)
        if single != nil { print("seed \(seed): trace \(result.traceHash) (\(result.traceEvents) events)") }
        if let v = result.violation {
            failures.append(v)
            print("FAIL seed \(v.seed) step \(v.step) invariant \(v.invariant.rawValue): \(v.message)\n  replay: \(v.replayCommand)")
        }
        if !quiet, single == nil, (i + 1) % 1_000 == 0 {
            print("… \(i + 1) seeds, \(total.violations) violations, \(clock.now - began)")
        }
    }
    let elapsed = clock.now - began
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print(total.summary)
    print(String(format: "time: %.2f s, %.1f ms per seed", seconds, seconds * 1000 / Double(max(1, range.count)))
          + " (profile \(configuration.profile), \(configuration.steps) steps per seed before the drain)")
    return failures.isEmpty ? 0 : 1
}

exit(runSimulate(Array(CommandLine.arguments.dropFirst())))
