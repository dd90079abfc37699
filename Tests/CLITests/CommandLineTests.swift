import XCTest
@testable import CLI

final class CommandLineTests: XCTestCase {
    func testDurationsTakeUnitsAndBareNumbersAreMilliseconds() {
        let cases: [(String, Duration?)] = [
            ("250ms", .milliseconds(250)), ("1s", .seconds(1)), ("1.5s", .milliseconds(1500)),
            ("2m", .seconds(120)), ("1h", .seconds(3600)), ("500us", .microseconds(500)),
            ("0", .zero), ("250", .milliseconds(250)), ("10ns", .nanoseconds(10)),
            ("", nil), ("ms", nil), ("-1s", nil), ("1x", nil), ("1.2.3s", nil), ("abc", nil), ("1e9", nil),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(DurationArgument.parse(text), expected, text)
        }
        XCTAssertEqual(DurationArgument.format(.milliseconds(250)), "250ms")
        XCTAssertEqual(DurationArgument.format(.seconds(2)), "2s")
        XCTAssertEqual(DurationArgument.format(.seconds(120)), "2m")
        XCTAssertEqual(DurationArgument.format(.zero), "0")
    }

    private let flags = FlagSet([
        .init("port", value: "PORT", default: "8545", help: "Port."),
        .init("block-time", value: "DURATION", default: "250ms", help: "Block time."),
        .init("silent", help: "Quiet."),
        .init("censor", value: "ADDRS", help: "Addresses."),
    ])

    func testFlagForms() throws {
        let p = try flags.parse(["--port", "9000", "--block-time=1s", "--silent", "extra", "--", "--port"])
        XCTAssertEqual(try p.int("port"), 9000)
        XCTAssertEqual(try p.duration("block-time"), .seconds(1))
        XCTAssertTrue(p.bool("silent"))
        XCTAssertEqual(p.positionals, ["extra", "--port"])
        XCTAssertEqual(p.explicitlySet, ["port", "block-time", "silent"])
    }

    func testDefaultsApplyWhenAbsent() throws {
        let p = try flags.parse([])
        XCTAssertEqual(try p.int("port"), 8545)
        XCTAssertEqual(try p.duration("block-time"), .milliseconds(250))
        XCTAssertFalse(p.bool("silent"))
        XCTAssertNil(p.string("censor"))
    }

    func testErrorsNameTheFlag() {
        XCTAssertThrowsError(try flags.parse(["--prot", "1"])) {
            XCTAssertEqual($0 as? CommandLineError, .unknownFlag("prot", suggestion: "port"))
            XCTAssertEqual("\($0)", "unknown flag --prot (did you mean --port?)")
        }
        XCTAssertThrowsError(try flags.parse(["--port"])) {
            XCTAssertEqual($0 as? CommandLineError, .missingValue(flag: "port"))
        }
        XCTAssertThrowsError(try flags.parse(["--port", "x"]).int("port")) {
            XCTAssertEqual("\($0)", "invalid value 'x' for --port: expected an integer in \(Int.min)...\(Int.max)")
        }
        XCTAssertThrowsError(try flags.parse(["--block-time", "soon"]).duration("block-time"))
        XCTAssertThrowsError(try flags.parse(["--silent=maybe"]))
    }

    func testListsAndHelp() throws {
        let p = try flags.parse(["--censor", "0xa, 0xb,,"])
        XCTAssertEqual(p.list("censor"), ["0xa", "0xb"])
        XCTAssertTrue(try flags.parse(["-h"]).wantsHelp)
        let help = flags.help(usage: "sequencer [flags]", summary: "Runs.")
        XCTAssertTrue(help.contains("--port PORT"))
        XCTAssertTrue(help.contains("(default: 250ms)"))
        XCTAssertTrue(help.contains("--help"))
    }
}
