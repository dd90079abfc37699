import Foundation

/// Locates the public test suites in `shared/vectors`, which live beside the
/// repository (never inside it): `../shared/vectors` from the package root.
public enum Vectors {
    /// The `vectors` directory, or nil when it is absent on this machine.
    /// `VECTORS_DIR` overrides the search; otherwise each ancestor of the
    /// working directory and of this file is tried for `shared/vectors`.
    public static func directory(file: String = #filePath) -> URL? {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["VECTORS_DIR"], fm.fileExists(atPath: env) {
            return URL(fileURLWithPath: env)
        }
        var starts = [URL(fileURLWithPath: fm.currentDirectoryPath)]
        starts.append(URL(fileURLWithPath: file).deletingLastPathComponent())
        for start in starts {
            var dir = start.standardizedFileURL
            while dir.path != "/" {
                let candidate = dir.appendingPathComponent("shared/vectors")
                if fm.fileExists(atPath: candidate.path) { return candidate }
                dir = dir.deletingLastPathComponent()
            }
        }
        return nil
    }

    /// A subdirectory of the vectors, e.g. `ethereum-tests/TransactionTests`.
    public static func path(_ relative: String) -> URL? {
        guard let dir = directory() else { return nil }
        let url = dir.appendingPathComponent(relative)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// Every `.json` file under `relative`, sorted by path so counts are stable.
    public static func jsonFiles(under relative: String) -> [URL] {
        guard let root = path(relative),
              let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        else { return [] }
        var files: [URL] = []
        for case let url as URL in walker where url.pathExtension == "json" { files.append(url) }
        return files.sorted { $0.path < $1.path }
    }

    /// The message a test prints when it skips for lack of vectors.
    public static let missingMessage =
        "shared/vectors not found (looked for ../shared/vectors and VECTORS_DIR): skipping the public test suites"
}
