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
]

let requested = Array(CommandLine.arguments.dropFirst())
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
