import Dispatch
import Simulation
import Synchronization

/// Runs seeds on two threads (each run is independent and single-threaded),
/// returning the results in seed order.
enum SeedRunner {
    static func run(_ seeds: [UInt64], configuration: SimulationConfiguration, lanes: Int = 2) -> [SimulationResult] {
        let results = Mutex<[UInt64: SimulationResult]>([:])
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            for seed in stride(from: lane, to: seeds.count, by: lanes).map({ seeds[$0] }) {
                let result = Simulation.run(seed: seed, configuration: configuration)
                results.withLock { $0[seed] = result }
            }
        }
        return results.withLock { all in seeds.map { all[$0]! } }
    }
}
