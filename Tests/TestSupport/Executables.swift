import Foundation

/// Finds the executables `swift test` built next to the test bundle, so
/// tests can run the real `sequencer` binary as a user would.
public enum Executables {
    /// The build products directory (e.g. `.build/debug`).
    public static var productsDirectory: URL {
        Bundle.main.bundleURL
    }

    /// The URL of a built executable product by name.
    public static func url(_ name: String) -> URL {
        productsDirectory.appendingPathComponent(name)
    }

    /// Whether a program is on PATH (python3, for cross-checks).
    public static func which(_ program: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for p in paths {
            let candidate = "\(p)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs a program to completion and returns its exit status and output.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], stdin: String? = nil,
                           environment: [String: String]? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        // A child that exits before reading all its input must not kill the test runner.
        signal(SIGPIPE, SIG_IGN)
        try process.run()
        // Write stdin and read both pipes concurrently: a child that writes while it
        // reads must never find every pipe full.
        let writer = input.fileHandleForWriting
        let payload = stdin.map { Data($0.utf8) }
        let errData = LockedData()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            if let payload { try? writer.write(contentsOf: payload) }
            try? writer.close()
            group.leave()
        }
        group.enter()
        DispatchQueue.global().async {
            errData.set(err.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData.get(), as: UTF8.self))
    }
}

/// Data guarded by a lock, for collecting a pipe's bytes from another thread.
final class LockedData: @unchecked Sendable {
    // Guards `data`; touched by the reader thread once and by the caller after the group wait.
    private let lock = NSLock()
    private var data = Data()
    func set(_ d: Data) { lock.lock(); data = d; lock.unlock() }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}
