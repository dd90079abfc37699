// swift-tools-version:6.1
import PackageDescription

// One settings list for every target: Swift 6 strict concurrency everywhere,
// and -Ounchecked in release for the arithmetic-heavy code paths.
let settings: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release)),
]

func module(_ name: String, _ deps: [Target.Dependency] = []) -> Target {
    .target(name: name, dependencies: deps, swiftSettings: settings)
}

func tests(_ name: String, _ deps: [Target.Dependency]) -> Target {
    .testTarget(name: name, dependencies: deps + ["TestSupport"], swiftSettings: settings)
}

// A libFuzzer target: one file under Fuzz/<name>/ exporting LLVMFuzzerTestOneInput,
// with no main.swift and no @main. `scripts/fuzz` builds it alone with
// `--sanitize=fuzzer`, which links libFuzzer's main; a normal build makes the
// lone file the main file, so it links as an executable that does nothing.
// Keep it to one file: a second one leaves a normal build without an entry point.
func fuzzer(_ name: String, _ deps: [Target.Dependency]) -> Target {
    .executableTarget(name: name, dependencies: deps, path: "Fuzz/\(name)", swiftSettings: settings)
}

let package = Package(
    name: "sequencer",
    products: [
        .executable(name: "sequencer", targets: ["sequencer"]),
        .executable(name: "simulate", targets: ["simulate"]),
        .executable(name: "bench", targets: ["bench"]),
    ],
    targets: [
        // Linux headers Glibc does not export (epoll, eventfd).
        .systemLibrary(name: "CSys", path: "Sources/CSys"),

        // Primitives ← Hashing/Secp256k1/RLP ← Ethereum ← Rollup ← Sequencer ← executable.
        module("Primitives"),
        module("Hashing", ["Primitives"]),
        module("Secp256k1", ["Hashing"]),
        module("RLP", ["Primitives"]),
        module("Ethereum", ["Primitives", "Hashing", "Secp256k1", "RLP", "JSON"]),
        module("Trie", ["Primitives", "Hashing", "RLP"]),

        // Transport: knows nothing of rollups.
        module("JSON", ["Primitives"]),
        module("HTTP", ["CSys", "Hashing"]),
        module("JSONRPC", ["JSON", "HTTP"]),

        module("Storage"),
        module("CLI"),
        module("Rollup", ["Primitives", "Hashing", "RLP", "Ethereum", "Trie"]),
        module("L1", ["Primitives", "Hashing", "Secp256k1", "RLP", "Ethereum", "Rollup", "Storage", "JSON", "JSONRPC", "HTTP"]),
        module("Sequencer", ["Rollup", "Ethereum", "Storage", "JSON", "JSONRPC", "HTTP", "L1"]),
        // The sequencer, the L1 and users in one process on a simulated clock, driven by a seed.
        module("Simulation", ["Sequencer", "L1", "Rollup", "Ethereum", "Secp256k1", "Primitives", "Storage"]),
        .executableTarget(name: "simulate", dependencies: ["Simulation", "CLI"], swiftSettings: settings),

        .executableTarget(
            name: "sequencer",
            dependencies: ["Primitives", "Hashing", "Secp256k1", "RLP", "Ethereum", "JSON", "HTTP", "JSONRPC", "Storage", "Rollup", "Sequencer", "CLI", "L1"],
            swiftSettings: settings),
        .executableTarget(
            name: "bench",
            dependencies: ["Primitives", "Hashing", "Secp256k1", "RLP", "Ethereum", "JSON", "HTTP", "JSONRPC", "Storage", "Rollup", "Sequencer"],
            swiftSettings: settings),

        fuzzer("FuzzRLP", ["RLP", "Primitives"]),
        fuzzer("FuzzTransaction", ["Ethereum", "Hashing", "Primitives", "JSON"]),
        fuzzer("FuzzHTTP", ["HTTP", "Primitives"]),
        fuzzer("FuzzJSON", ["JSON"]),
        fuzzer("FuzzJSONRPC", ["JSONRPC", "JSON"]),
        fuzzer("FuzzBatch", ["Rollup", "Ethereum", "Hashing"]),

        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: settings),
        tests("PrimitivesTests", ["Primitives"]),
        tests("HashingTests", ["Hashing"]),
        tests("Secp256k1Tests", ["Secp256k1", "Hashing"]),
        tests("RLPTests", ["RLP"]),
        tests("TrieTests", ["Trie", "Hashing", "Primitives"]),
        tests("EthereumTests", ["Ethereum", "JSON"]),
        tests("JSONTests", ["JSON"]),
        tests("HTTPTests", ["HTTP"]),
        tests("JSONRPCTests", ["JSONRPC", "JSON", "HTTP"]),
        tests("StorageTests", ["Storage"]),
        tests("CLITests", ["CLI"]),
        tests("RollupTests", ["Rollup", "Ethereum", "Primitives", "Trie"]),
        tests("L1Tests", ["L1", "Rollup", "Ethereum", "Primitives", "Hashing", "Storage", "JSON", "JSONRPC", "HTTP"]),
        tests("SimulationTests", ["Simulation"]),
        tests("SequencerTests", ["Sequencer", "Rollup", "Ethereum", "Primitives"]),
    ],
    swiftLanguageModes: [.v6]
)
