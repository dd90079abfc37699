import Dispatch
import Glibc
import HTTP
import Synchronization
import XCTest

/// Concurrency, cross-thread responses and graceful shutdown over real sockets.
final class HTTPServerLifecycleTests: XCTestCase {
    func testTwoHundredConcurrentConnectionsFromSeveralThreads() throws {
        try withServer { server, port in
            let failures = Collected<String>()
            DispatchQueue.concurrentPerform(iterations: 8) { thread in
                var clients: [TestHTTPClient] = []
                for _ in 0..<25 {
                    do { clients.append(try TestHTTPClient(port: port)) } catch { failures.append("connect \(error)") }
                }
                for round in 0..<3 {
                    for (index, client) in clients.enumerated() {
                        let body = "t\(thread)-c\(index)-r\(round)"
                        do {
                            try client.send(request("POST", "/echo", body: body))
                            let response = try client.readResponse()
                            if response.text != body { failures.append("got \(response.text) for \(body)") }
                        } catch {
                            failures.append("\(body): \(error)")
                        }
                    }
                }
            }
            XCTAssertEqual(failures.all, [])
            XCTAssertEqual(server.statistics.acceptedConnections, 200)
            XCTAssertEqual(server.statistics.requests, 600)
        }
    }

    func testResponderAnsweringFromAnotherThread() throws {
        let responder = ClosureResponder { request, writer in
            let body = request.body
            let worker = PThreadRunner { writer.send(HTTPResponse(status: .accepted, body: body.reversed())) }
            worker.join()
        }
        try withServer(responder: responder) { _, port in
            let client = try TestHTTPClient(port: port)
            for i in 0..<20 {
                try client.send(request("POST", "/", body: "abc\(i)"))
                let response = try client.readResponse()
                XCTAssertEqual(response.status, 202)
                XCTAssertEqual(response.text, String("abc\(i)".reversed()))
            }
        }
    }

    func testAnsweringTwiceKeepsTheFirstAnswer() throws {
        let responder = ClosureResponder { _, writer in
            writer.send(HTTPResponse(body: Array("first".utf8)))
            writer.send(HTTPResponse(body: Array("second".utf8)))
        }
        try withServer(responder: responder) { _, port in
            let client = try TestHTTPClient(port: port)
            try client.send(request("GET", "/") + request("GET", "/"))
            XCTAssertEqual(try client.readResponse().text, "first")
            XCTAssertEqual(try client.readResponse().text, "first")
        }
    }

    func testGracefulShutdownFinishesInFlightRequestsAndRefusesNewOnes() throws {
        let received = Collected<String>()
        let responder = ClosureResponder { request, writer in
            received.append(request.target)
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(200)) {
                writer.send(HTTPResponse(body: Array(request.target.utf8)))
            }
        }
        var configuration = HTTPServer.Configuration(host: "127.0.0.1", port: 0, eventLoopCount: 2)
        configuration.shutdownTimeout = .seconds(5)
        let server = HTTPServer(configuration: configuration, responder: responder)
        try server.start()
        let port = server.port
        var clients = try (0..<3).map { _ in try TestHTTPClient(port: port) }
        let idle = try TestHTTPClient(port: port)
        for (index, client) in clients.enumerated() { try client.send(request("GET", "/in-flight-\(index)")) }
        XCTAssertTrue(eventually { received.count == 3 })

        let done = Collected<Double>()
        let start = Deadline.now()
        let shutdownThread = PThreadRunner {
            server.shutdown()
            done.append(Double(Deadline.now().nanoseconds - start.nanoseconds) / 1e9)
        }
        XCTAssertTrue(eventually {
            do throws(TestClientError) { _ = try TestHTTPClient(port: port); return false } catch { return error == .connectFailed(errno: ECONNREFUSED) }
        })
        XCTAssertTrue(idle.isClosedByPeer())
        for (index, client) in clients.enumerated() {
            let response = try client.readResponse()
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(response.text, "/in-flight-\(index)")
            XCTAssertEqual(response.header("Connection"), "close")
            XCTAssertTrue(client.isClosedByPeer())
        }
        clients.removeAll()
        shutdownThread.join()
        XCTAssertEqual(done.count, 1)
        XCTAssertLessThan(done.all.first ?? 99, 1.5)
        XCTAssertEqual(server.statistics.openConnections, 0)
        server.waitUntilShutdown()
    }

    func testShutdownClosesConnectionsThatNeverFinishAfterTheTimeout() throws {
        var configuration = HTTPServer.Configuration(host: "127.0.0.1", port: 0, eventLoopCount: 1)
        configuration.shutdownTimeout = .milliseconds(300)
        let server = HTTPServer(configuration: configuration, responder: ClosureResponder { _, _ in })
        try server.start()
        let client = try TestHTTPClient(port: server.port)
        try client.send(request("GET", "/never"))
        XCTAssertTrue(eventually { server.statistics.requests == 1 })
        let seconds = elapsed { server.shutdown() }
        XCTAssertLessThan(seconds, 2)
        XCTAssertTrue(client.isClosedByPeer())
    }

    func testHalfClosedClientStillGetsItsAnswer() throws {
        try withServer { server, port in
            let client = try TestHTTPClient(port: port)
            try client.send(request("GET", "/delay?ms=150&i=7"))
            client.shutdownWrite()
            let response = try client.readResponse()
            XCTAssertEqual(response.text, "7")
            XCTAssertTrue(client.isClosedByPeer())
            XCTAssertTrue(eventually { server.statistics.openConnections == 0 })
        }
    }

    func testStartTwiceThrows() throws {
        let server = HTTPServer(configuration: HTTPServer.Configuration(port: 0, eventLoopCount: 1), responder: TestResponder())
        try server.start()
        XCTAssertThrowsError(try server.start()) { XCTAssertEqual($0 as? HTTPServerError, .alreadyStarted) }
        server.shutdown()
        server.shutdown()
    }

    func testBindingATakenPortFails() throws {
        try withServer({ $0.eventLoopCount = 1 }) { _, port in
            let other = HTTPServer(configuration: HTTPServer.Configuration(port: port, eventLoopCount: 1), responder: TestResponder())
            XCTAssertThrowsError(try other.start()) { error in
                guard case .bindFailed = error as? HTTPServerError else { return XCTFail("\(error)") }
            }
        }
    }
}

/// A plain thread for tests that must answer from a thread the server does not own.
final class PThreadRunner: @unchecked Sendable {
    // Written once at creation; read by `join` on the creating thread.
    private var thread = pthread_t()
    private let body: @Sendable () -> Void

    init(_ body: @escaping @Sendable () -> Void) {
        self.body = body
        let context = Unmanaged.passRetained(self).toOpaque()
        pthread_create(&thread, nil, { argument in
            let runner = Unmanaged<PThreadRunner>.fromOpaque(argument!).takeRetainedValue()
            runner.body()
            return nil
        }, context)
    }

    func join() {
        pthread_join(thread, nil)
    }
}
