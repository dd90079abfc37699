import Glibc

/// The request methods the server recognises; any other method is answered
/// 501. TRACE is recognised so that routes can refuse it with 405 (it is
/// never echoed back: no responder implements it).
public enum HTTPMethod: String, Hashable, Sendable, CaseIterable {
    case get = "GET"
    case head = "HEAD"
    case post = "POST"
    case put = "PUT"
    case delete = "DELETE"
    case options = "OPTIONS"
    case patch = "PATCH"
    case trace = "TRACE"

    /// Matches a method token exactly (methods are case-sensitive).
    init?(token: UnsafeBufferPointer<UInt8>) {
        @inline(__always) func equals(_ literal: StaticString) -> Bool {
            guard literal.utf8CodeUnitCount == token.count else { return false }
            return memcmp(literal.utf8Start, token.baseAddress!, token.count) == 0
        }
        switch token.count {
        case 3: if equals("GET") { self = .get } else if equals("PUT") { self = .put } else { return nil }
        case 4: if equals("POST") { self = .post } else if equals("HEAD") { self = .head } else { return nil }
        case 5: if equals("PATCH") { self = .patch } else if equals("TRACE") { self = .trace } else { return nil }
        case 6: if equals("DELETE") { self = .delete } else { return nil }
        case 7: if equals("OPTIONS") { self = .options } else { return nil }
        default: return nil
        }
    }
}

/// An HTTP protocol version; the server speaks 1.0 and 1.1.
public struct HTTPVersion: Hashable, Sendable, CustomStringConvertible {
    public var major: Int
    public var minor: Int

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    public static let http1_0 = HTTPVersion(major: 1, minor: 0)
    public static let http1_1 = HTTPVersion(major: 1, minor: 1)

    public var description: String { "HTTP/\(major).\(minor)" }
}
