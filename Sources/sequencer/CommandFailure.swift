import CLI
import Foundation

/// A failure a command reports in one line and exits 1 for (as opposed to a
/// `CommandLineError`, which the dispatcher reports with exit code 2).
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }

    /// Runs `body`; prints any error but a command-line one to standard error and returns 1.
    static func reporting(_ body: () throws -> Int32) throws -> Int32 {
        do {
            return try body()
        } catch let error as CommandLineError {
            throw error
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            return 1
        }
    }
}
