// The benchmarks of every hot path, one suite per area. Release mode only:
//   swift run -c release bench [suite ...]     (no suite: all of them)
// Each suite warms up, times many runs with ContinuousClock, and prints
// median and p99 so figures can be compared across noisy runs.

let suites: [(name: String, run: () -> Void)] = [
    ("keccak", runKeccakBench),
    ("secp256k1", runSecp256k1Bench),
    ("rlp", runRLPBench),
    ("tx", runTransactionBench),
    ("json", runJSONBench),
    ("http-server", runHTTPServerBench),
    ("load", runLoadBench),
    ("websocket", runWebSocketBench),
    ("sync", runSyncSendBench),
    ("hd", runHDWalletBench),
]

// Bare words name suites; `--flag value` pairs are options the suites read
// themselves (e.g. `bench http-server --port 8080 --loops 1`).
var requested: [String] = []
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    if argument.hasPrefix("--") && argument != "--help" {
        _ = arguments.popFirst()
    } else {
        requested.append(argument)
    }
}
if requested.contains("--help") || requested.contains("-h") {
    print("usage: bench [\(suites.map(\.name).joined(separator: "|"))] ...")
} else {
    let unknown = requested.filter { r in !suites.contains { $0.name == r } }
    if !unknown.isEmpty {
        print("unknown suite(s): \(unknown.joined(separator: ", ")); known: \(suites.map(\.name).joined(separator: ", "))")
    } else {
        for suite in suites where requested.isEmpty || requested.contains(suite.name) {
            print("== \(suite.name)")
            suite.run()
        }
    }
}
