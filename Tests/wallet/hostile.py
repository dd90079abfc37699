"""Hostile clients against a running node, shared by `scripts/hostile-clients`
(thousands of requests, release binary) and `test_hostile.py` (a few hundred,
debug binary).

Every hostile request is a `Case`: raw bytes sent on a fresh connection and
what the node must answer (HTTP status and, for JSON-RPC, the error code of
each answer), or that it must close the connection without an answer (a body
cut short by the client). Each case ends as one of:

- expected: every expected answer came, with the expected status and code;
- other:    an answer came, but not the expected one;
- dropped:  no answer at all (reset, closed or timed out) where one was due.

Categories: malformed HTTP, malformed JSON-RPC, oversized bodies, deeply
nested JSON, huge batches, a mempool flood (valid and nonce-gap
transactions from many funded senders), and slowloris connections up to the
connection limit. Meanwhile `GoodClients` (another process) call
eth_blockNumber and eth_sendRawTransaction at a modest rate and record their
latencies.
"""

import asyncio
import json
import multiprocessing
import random
import socket
import time
from dataclasses import dataclass, field

import coincurve
import rlp
from eth_utils import keccak

CHAIN_ID = 31337
MAX_BODY = 1 << 20  # NodeConfiguration.maxBodyBytes
MAX_HEADER = 16 * 1024  # HTTPServer.Configuration.maxHeaderBytes
MAX_BATCH = 1000  # NodeConfiguration.maxBatchSize
MAX_BATCH_RESPONSE = 25_000_000  # JSONRPCServer.Configuration.maxBatchResponseBytes
MAX_CONNECTIONS = 10_000  # NodeConfiguration.maxConnections
HEADER_TIMEOUT = 10.0  # HTTPServer.Configuration.headerTimeout
SENDER_QUEUE = 64  # Mempool.Limits.perSender
POOL_TOTAL = 8192  # Mempool.Limits.total
GWEI = 10**9

CLOSED = "closed"  # an expectation: the node closes the connection without answering


# ---------------------------------------------------------------- signing

def key_from_seed(seed, i):
    return coincurve.PrivateKey(keccak(f"hostile-clients {seed} {i}".encode()))


def address_of(key):
    return keccak(key.public_key.format(compressed=False)[1:])[-20:]


def legacy_tx(key, nonce, to, value, gas_price, gas=21000, data=b"", chain_id=CHAIN_ID):
    """A signed EIP-155 legacy transfer (fast: rlp + coincurve, no eth-account)."""
    digest = keccak(rlp.encode([nonce, gas_price, gas, to, value, data, chain_id, 0, 0]))
    sig = key.sign_recoverable(digest, hasher=None)
    r, s, rec = int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:64], "big"), sig[64]
    return rlp.encode([nonce, gas_price, gas, to, value, data, chain_id * 2 + 35 + rec, r, s])


def rpc_body(method, params, id_=1):
    return json.dumps({"jsonrpc": "2.0", "id": id_, "method": method, "params": params}).encode()


# ---------------------------------------------------------------- raw HTTP

def post(body, extra_headers=b"", path=b"/"):
    return (b"POST " + path + b" HTTP/1.1\r\nHost: node\r\nContent-Type: application/json\r\n" + extra_headers +
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)


@dataclass
class Response:
    status: int
    body: bytes


@dataclass
class Outcome:
    responses: list = field(default_factory=list)
    ended: str = ""  # how the exchange ended: eof, reset, timeout, done


async def read_response(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ")[1])
    headers = {}
    for line in lines[1:]:
        if b":" in line:
            k, v = line.split(b":", 1)
            headers[k.strip().lower()] = v.strip()
    if b"content-length" in headers:
        body = await reader.readexactly(int(headers[b"content-length"]))
    elif headers.get(b"transfer-encoding", b"").lower() == b"chunked":
        body = b""
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0].strip(), 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                break
            body += await reader.readexactly(size)
            await reader.readexactly(2)
    else:
        body = b""
    return Response(status, body)


async def exchange(port, payload, responses=1, timeout=10.0, half_close=False, early_read=None):
    """Sends `payload` on a new connection and reads up to `responses` answers.
    With `early_read` (seconds), the head of the payload (up to the blank line) goes first, and the body only
    if no answer came within that time (a server may refuse a declared length before the body)."""
    out = Outcome()
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port, limit=1 << 22), timeout)
    except (OSError, asyncio.TimeoutError) as e:
        out.ended = f"connect failed: {type(e).__name__}"
        return out
    try:
        async def run():
            try:
                if early_read is not None:
                    cut = payload.find(b"\r\n\r\n") + 4
                    writer.write(payload[:cut])
                    await writer.drain()
                    try:
                        out.responses.append(await asyncio.wait_for(read_response(reader), early_read))
                        return
                    except asyncio.TimeoutError:
                        pass
                    writer.write(payload[cut:])
                else:
                    writer.write(payload)
                await writer.drain()
                if half_close:
                    writer.write_eof()
            except (ConnectionError, OSError):
                pass  # the node may refuse and close before reading everything; read what it answered
            while len(out.responses) < responses:
                out.responses.append(await read_response(reader))
            out.ended = "done"

        await asyncio.wait_for(run(), timeout)
    except asyncio.IncompleteReadError:
        out.ended = "eof"
    except (ConnectionError, OSError):
        out.ended = "reset"
    except asyncio.TimeoutError:
        out.ended = "timeout"
    except (ValueError, IndexError, asyncio.LimitOverrunError) as e:
        out.ended = f"unparsable answer: {e}"
    finally:
        writer.close()
        try:
            await asyncio.wait_for(writer.wait_closed(), 1)
        except (ConnectionError, OSError, asyncio.TimeoutError):
            pass
    return out


# ---------------------------------------------------------------- expectations

@dataclass
class Expect:
    """One answer: its HTTP status and what its JSON says.
    rpc: None (not checked), an int (the error code of a single answer), "result" (a single answer with a result),
    ("batch", n, codes) (an array of n answers, each an error with a code in codes, or "result" in codes)."""
    status: int
    rpc: object = None
    max_body: int = None

    def matches(self, response):
        if response.status != self.status:
            return False
        if self.max_body is not None and len(response.body) > self.max_body:
            return False
        if self.rpc is None:
            return True
        try:
            doc = json.loads(response.body)
        except ValueError:
            return False
        if isinstance(self.rpc, tuple):
            _, n, codes = self.rpc
            return isinstance(doc, list) and len(doc) == n and all(entry_matches(e, codes) for e in doc)
        if self.rpc == "result":
            return isinstance(doc, dict) and "result" in doc and "error" not in doc
        return isinstance(doc, dict) and doc.get("error", {}).get("code") == self.rpc


def entry_matches(entry, codes):
    if "result" in entry:
        return "result" in codes
    return isinstance(entry, dict) and entry.get("error", {}).get("code") in codes


@dataclass
class Case:
    category: str
    name: str
    payload: bytes
    expect: list  # [Expect, …] answers in order, or [CLOSED]
    half_close: bool = False
    early_read: float = None
    timeout: float = 10.0


def judge(case, outcome):
    if case.expect == [CLOSED]:
        if not outcome.responses and outcome.ended in ("eof", "reset"):
            return "expected"
        return "other" if outcome.responses else "dropped"
    if not outcome.responses:
        return "dropped"
    if len(outcome.responses) < len(case.expect):
        return "other"
    return "expected" if all(e.matches(r) for e, r in zip(case.expect, outcome.responses)) else "other"


def describe(outcome):
    answers = ", ".join(f"{r.status} {r.body[:120]!r}" for r in outcome.responses)
    return f"[{answers}] ended {outcome.ended}"


class Tally:
    """Per category: sent, expected, other, dropped, and a few examples of the last two."""

    COLUMNS = ("sent", "expected", "other", "dropped")

    def __init__(self):
        self.rows = {}
        self.examples = {}
        self.notes = {}
        self.detail = {}  # mempool answers by kind, for the report

    def add(self, category, verdict, example=None):
        row = self.rows.setdefault(category, dict.fromkeys(self.COLUMNS, 0))
        row["sent"] += 1
        row[verdict] += 1
        if verdict != "expected" and example is not None:
            ex = self.examples.setdefault(category, [])
            if len(ex) < 5:
                ex.append(example)

    def table(self):
        lines = [f"{'category':<12} {'sent':>7} {'expected':>9} {'other':>6} {'dropped':>8}  expected answer"]
        for category, row in self.rows.items():
            lines.append(f"{category:<12} {row['sent']:>7} {row['expected']:>9} {row['other']:>6} {row['dropped']:>8}  "
                         f"{self.notes.get(category, '')}")
        total = {c: sum(r[c] for r in self.rows.values()) for c in self.COLUMNS}
        lines.append(f"{'total':<12} {total['sent']:>7} {total['expected']:>9} {total['other']:>6} {total['dropped']:>8}")
        if self.detail:
            lines.append("  answers by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(self.detail.items())))
        for category, ex in self.examples.items():
            for e in ex:
                lines.append(f"  not as expected ({category}): {e}")
        return "\n".join(lines)


async def run_cases(port, cases, tally, concurrency=48):
    gate = asyncio.Semaphore(concurrency)

    async def one(case):
        async with gate:
            outcome = await exchange(port, case.payload, responses=len(case.expect) if case.expect != [CLOSED] else 1,
                                     timeout=case.timeout, half_close=case.half_close, early_read=case.early_read)
        verdict = judge(case, outcome)
        tally.add(case.category, verdict, f"{case.name}: {describe(outcome)}")

    await asyncio.gather(*(one(c) for c in cases))


# ---------------------------------------------------------------- malformed HTTP

def printable_garbage(rng, n):
    return bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~/?=<>@[]{}")
                 for _ in range(n))


def http_cases(rng, n):
    chain_id = rpc_body("eth_chainId", [])
    ok_rpc = Expect(200, "result")
    e400, e501, e505, e431, e413, e417 = (Expect(400), Expect(501), Expect(505), Expect(431), Expect(413), Expect(417))
    head = b"GET /health HTTP/1.1\r\nHost: node\r\n"

    def garbage_line():
        return printable_garbage(rng, rng.randrange(1, 300)) + b"\r\n\r\n", [e400]

    def binary_line():
        junk = bytes(rng.choice([b for b in range(256) if b not in (10, 13, 32)]) for _ in range(rng.randrange(1, 200)))
        return junk + b"\r\n\r\n", [e400]

    def bad_request_line():
        line = rng.choice([b"GET", b"GET /", b"GET  / HTTP/1.1", b"GET / HTTP/1.1 x", b"GET / HTTX/1.1", b"GET / HTTP/1",
                           b"GET / http/1.1", b"GET / HTTP/1.1x", b" / HTTP/1.1", b"GET /he alth HTTP/1.1", b"G\x00T / HTTP/1.1",
                           b"GET /\x7f HTTP/1.1", b"GET /\xff HTTP/1.1", b"GET\t/ HTTP/1.1", b"GET / HTTP/1.1\x00"])
        return line + b"\r\nHost: node\r\n\r\n", [e400]

    def unknown_method():
        token = bytes(rng.choice(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+-.^_`|~")
                      for _ in range(rng.randrange(1, 20)))
        method = rng.choice([b"BREW", b"get", b"post", b"PROPFIND", token if token not in (b"GET", b"POST", b"PUT", b"DELETE",
                                                                                          b"HEAD", b"OPTIONS", b"PATCH") else b"X"])
        return method + b" / HTTP/1.1\r\nHost: node\r\n\r\n", [e501]

    def bad_version():
        return b"GET / HTTP/" + rng.choice([b"2.0", b"3.0", b"9.9", b"1.2"]) + b"\r\nHost: node\r\n\r\n", [e505]

    def bad_header():
        line = rng.choice([b"NoColon", b"Host : x", b" folded: x", b"X(a): b", b"X\x01: b", b"X: a\x00b", b"X: a\rb",
                           b"X: a\x7fb", b"X\xff: b", b": empty-name", b"X Y: z", b"\tX: y"])
        return head + line + b"\r\n\r\n", [e400]

    def host_problem():
        return rng.choice([b"GET /health HTTP/1.1\r\n\r\n", head + b"Host: other\r\n\r\n"]), [e400]

    def header_flood():
        kind = rng.randrange(3)
        if kind == 0:
            count = rng.randrange(MAX_HEADER // 8, MAX_HEADER // 2)
            return head + b"".join(b"X-%d: y\r\n" % i for i in range(count)) + b"\r\n", [e431]
        if kind == 1:
            return head + b"X-Big: " + b"a" * rng.randrange(MAX_HEADER, 8 * MAX_HEADER) + b"\r\n\r\n", [e431]
        return b"GET /" + b"a" * rng.randrange(MAX_HEADER, 4 * MAX_HEADER) + b" HTTP/1.1\r\nHost: node\r\n\r\n", [e431]

    def bad_chunked():
        te = b"POST / HTTP/1.1\r\nHost: node\r\nTransfer-Encoding: chunked\r\n\r\n"
        kind = rng.randrange(5)
        if kind == 0:
            return te + rng.choice([b"zz", b"-1", b"0x10", b"g"]) + b"\r\n{}\r\n0\r\n\r\n", [e400]
        if kind == 1:
            return te + b"f" * rng.randrange(17, 40) + b"\r\n", [e413]
        if kind == 2:
            return te + b"3\r\n[1]XX0\r\n\r\n", [e400]
        if kind == 3:
            return (b"POST / HTTP/1.1\r\nHost: node\r\nTransfer-Encoding: " + rng.choice([b"gzip", b"chunked, gzip", b"deflate"])
                    + b"\r\n\r\n"), [e501]
        return b"POST / HTTP/1.1\r\nHost: node\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", [e400]

    def bad_content_length():
        kind = rng.randrange(4)
        if kind == 0:
            value = rng.choice([b"abc", b"-5", b"+5", b"1 2", b"0x10", b"5.0", b""])
            return b"POST / HTTP/1.1\r\nHost: node\r\nContent-Length: " + value + b"\r\n\r\n", [e400]
        if kind == 1:
            return b"POST / HTTP/1.1\r\nHost: node\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nabcdef", [e400]
        if kind == 2:
            return (b"POST / HTTP/1.1\r\nHost: node\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n"
                    b"2\r\n{}\r\n0\r\n\r\n"), [e400]
        cut = rng.randrange(1, len(chain_id) - 1)
        return (b"POST / HTTP/1.1\r\nHost: node\r\nContent-Length: " + str(cut).encode() + b"\r\n\r\n" + chain_id,
                [Expect(400, -32700)])

    def truncated_body():
        body = chain_id[:rng.randrange(0, len(chain_id) - 1)]
        return (b"POST / HTTP/1.1\r\nHost: node\r\nContent-Length: " + str(len(chain_id)).encode() + b"\r\n\r\n" + body,
                [CLOSED], True)

    def truncated_chunks():
        return (b"POST / HTTP/1.1\r\nHost: node\r\nTransfer-Encoding: chunked\r\n\r\n" +
                rng.choice([b"5\r\nab", b"5\r\nabcde\r\n", b"5", b"5\r\nabcde\r\n0\r\n"]), [CLOSED], True)

    def bad_expect():
        return head + b"Expect: " + rng.choice([b"foo", b"200-ok", b"100-continue-ish"]) + b"\r\n\r\n", [e417]

    def pipelined_garbage():
        good = rng.randrange(1, 20)
        junk = rng.choice([printable_garbage(rng, 50) + b"\r\n\r\n", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" +
                           bytes(range(40)) + b"\r\n\r\n", b"GET / HTTP/1.1\r\nNoColon\r\n\r\n"])
        return post(chain_id) * good + junk, [ok_rpc] * good + [e400]

    builders = [garbage_line, binary_line, bad_request_line, unknown_method, bad_version, bad_header, host_problem,
                header_flood, bad_chunked, bad_content_length, truncated_body, truncated_chunks, bad_expect,
                pipelined_garbage]
    cases = []
    for i in range(n):
        build = builders[i % len(builders)]
        made = build()
        payload, expect = made[0], made[1]
        half = len(made) > 2 and made[2]
        cases.append(Case("http", build.__name__, payload, expect, half_close=half))
    rng.shuffle(cases)
    return cases


# ---------------------------------------------------------------- malformed JSON-RPC

ZERO_ADDRESS = "0x" + "00" * 20


def jsonrpc_cases(rng, n):
    valid = rpc_body("eth_getBalance", [ZERO_ADDRESS, "latest"])
    parse, invalid, unknown, params, rejected = (Expect(400, -32700), Expect(200, -32600), Expect(200, -32601),
                                                 Expect(200, -32602), Expect(200, -32000))

    def truncated():
        return valid[:rng.randrange(1, len(valid))], parse

    def trailing():
        return valid + rng.choice([b"x", b"}", b",", b"{}", b" 1", b"\x00"]), parse

    def bad_syntax():
        return rng.choice([
            b"{'jsonrpc':'2.0','id':1,'method':'eth_chainId'}", b'{"jsonrpc":"2.0","id":01,"method":"eth_chainId"}',
            b'{"jsonrpc":"2.0","id":NaN,"method":"eth_chainId"}', b'{"jsonrpc":"2.0","id":1,"method":"eth_chainId",}',
            b'{"jsonrpc":"2.0" "id":1}', b'{"jsonrpc":"2.0","id":1,"method":"eth_\x01chainId"}',
            b'{"jsonrpc":"2.0","id":1,"method":"eth_\\xchainId"}', b'{"jsonrpc":"2.0","id":1,"method":"\\ud800"}',
            b'{"jsonrpc":"2.0","id":1,"method":"\xff\xfe"}', b'{"jsonrpc":"2.0","id":1,"method":"eth_chainId"/*c*/}',
            b'{"jsonrpc":"2.0","id":-,"method":"eth_chainId"}', b'{"jsonrpc":"2.0","id":1e,"method":"eth_chainId"}',
            b'{"jsonrpc":"2.0","id":tru,"method":"eth_chainId"}', b'\xef\xbb\xbf{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}',
            printable_garbage(rng, rng.randrange(1, 200)).replace(b"[", b"(").replace(b"{", b"("),
        ]), parse

    def wrong_types():
        method, jsonrpc, params_value = rng.choice([
            (5, "2.0", []), (None, "2.0", []), (["eth_chainId"], "2.0", []), ({"m": 1}, "2.0", []),
            ("eth_chainId", "1.0", []), ("eth_chainId", 2, []), ("eth_chainId", "2.0", "x"), ("eth_chainId", "2.0", 7),
            ("eth_chainId", "2.0", True)])
        return json.dumps({"jsonrpc": jsonrpc, "id": 1, "method": method, "params": params_value}).encode(), invalid

    def bad_id():
        return json.dumps({"jsonrpc": "2.0", "id": rng.choice([{}, [1], True, False, {"a": 1}]),
                           "method": "eth_chainId"}).encode(), Expect(400, -32600)

    def unknown_method():
        name = rng.choice(["eth_", "debug_", "admin", "personal_", "x", ""]) + printable_garbage(rng, rng.randrange(1, 40)).decode()
        return rpc_body(name, []), unknown

    def bad_params():
        # Too large for a block number; 64 digits would be a well-formed block hash (a valid, unknown block).
        huge = "0x" + "f" * rng.choice([n for n in range(17, 200) if n != 64])
        method, p = rng.choice([
            ("eth_getBalance", ["0xzz", "latest"]), ("eth_getBalance", [ZERO_ADDRESS[:-2], "latest"]),
            ("eth_getBalance", [1, "latest"]), ("eth_getBalance", [None, "latest"]), ("eth_getBalance", [ZERO_ADDRESS, huge]),
            ("eth_getBalance", [ZERO_ADDRESS, "newest"]), ("eth_getBalance", [ZERO_ADDRESS, -1]),
            ("eth_getBalance", [ZERO_ADDRESS + "00", "latest"]), ("eth_getBalance", []),
            ("eth_getBlockByNumber", [huge, False]), ("eth_getBlockByNumber", ["0x", False]),
            ("eth_getBlockByNumber", [1.5, False]),
            ("eth_getTransactionByHash", ["0x1234"]), ("eth_getTransactionByHash", ["0x" + "g" * 64]),
            ("eth_getTransactionReceipt", [12]), ("eth_getTransactionCount", [ZERO_ADDRESS, huge]),
            ("eth_sendRawTransaction", ["0xzz"]), ("eth_sendRawTransaction", ["0x123"]), ("eth_sendRawTransaction", [7]),
            ("eth_sendRawTransaction", []), ("eth_sendRawTransaction", ["deadbeef"]),
            ("eth_feeHistory", [huge, "latest", []]), ("eth_feeHistory", ["0x0", "latest", []]),
            ("eth_getStorageAt", ["0x12", "0x0", "latest"]), ("eth_getCode", [ZERO_ADDRESS, "0x1x"]),
            ("seq_getPreconfirmation", ["0x12"]), ("eth_getBlockByHash", ["0x" + "ab" * 31, False]),
        ])
        return rpc_body(method, p), params

    def bad_transaction():
        raw = rng.choice([
            bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300))),
            rlp.encode([rng.randrange(1 << 64) for _ in range(rng.randrange(1, 12))]),
            b"\x02" + rlp.encode([1, 2, 3]), b"\xf8", rlp.encode(b"not a transaction"),
            b"\x05" + bytes(40),
        ])
        # A random byte string may by chance decode; the node must still refuse it (-32000), never crash.
        return rpc_body("eth_sendRawTransaction", ["0x" + raw.hex()]), rejected

    def huge_numbers():
        id_text = rng.choice([b"123456789012345678901234567890123456789", b"1e999999", b"-0.0000001e-99999", b"18446744073709551616"])
        return b'{"jsonrpc":"2.0","id":' + id_text + b',"method":"eth_chainId"}', Expect(200, "result")

    builders = [truncated, trailing, bad_syntax, wrong_types, bad_id, unknown_method, bad_params, bad_transaction,
                huge_numbers]
    cases = []
    for i in range(n):
        build = builders[i % len(builders)]
        body, expect = build()
        cases.append(Case("jsonrpc", build.__name__, post(body), [expect]))
    rng.shuffle(cases)
    return cases


# ---------------------------------------------------------------- oversized bodies, nesting, batches

def oversized_cases(rng, n):
    cases = []
    for i in range(n):
        size = rng.randrange(MAX_BODY + 1, 3 * MAX_BODY)
        kind = i % 3
        if kind == 0:
            body = b'{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":["' + b"a" * (size - 60) + b'"]}'
            cases.append(Case("oversized", "content-length body", post(body), [Expect(413)], early_read=0.5))
        elif kind == 1:
            chunk = b"a" * 65536
            parts = b"".join(b"%x\r\n" % len(chunk) + chunk + b"\r\n" for _ in range(size // len(chunk) + 1))
            cases.append(Case("oversized", "chunked body",
                              b"POST / HTTP/1.1\r\nHost: node\r\nTransfer-Encoding: chunked\r\n\r\n" + parts + b"0\r\n\r\n",
                              [Expect(413)]))
        else:
            declared = rng.choice([MAX_BODY + 1, 100 * MAX_BODY, 1 << 40])
            cases.append(Case("oversized", "declared only",
                              b"POST / HTTP/1.1\r\nHost: node\r\nContent-Length: %d\r\n\r\n" % declared, [Expect(413)]))
    return cases


def nesting_cases(rng, n, depth=100_000):
    shapes = [
        ("arrays", b"[" * depth + b"]" * depth),
        ("unclosed arrays", b"[" * (depth * 4)),
        ("objects", b'{"a":' * depth + b"1" + b"}" * depth),
        ("in params", b'{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":' + b"[" * depth + b"]" * depth + b"}"),
        ("in a batch entry", b'[{"jsonrpc":"2.0","id":1,"method":"eth_chainId"},{"x":' + b"[" * depth + b"]" * depth + b"}]"),
        ("one past the limit", b"[" * 65 + b"]" * 65),
        ("mixed", (b'[{"a":' * (depth // 2)) + b"0" + (b"}]" * (depth // 2))),
    ]
    cases = []
    for i in range(n):
        name, body = shapes[i % len(shapes)]
        cases.append(Case("nesting", name, post(body), [Expect(400, -32700)]))
    return cases


def batch_cases(rng, n):
    entry = b'{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}'
    cases = []
    for i in range(n):
        kind = i % 4
        if kind == 0:
            count = rng.choice([MAX_BATCH + 1, 5_000, MAX_BODY // (len(entry) + 1) - 10])
            cases.append(Case("batch", f"{count} entries", post(b"[" + b",".join([entry] * count) + b"]"),
                              [Expect(400, -32600)]))
        elif kind == 1:
            count = rng.choice([50_000, 200_000])
            cases.append(Case("batch", f"{count} tiny entries", post(b"[" + b",".join([b"{}"] * count) + b"]"),
                              [Expect(400, -32600)]))
        elif kind == 2:
            junk = [b"1", b"{}", b'{"jsonrpc":"2.0","id":1,"method":7}', b'{"jsonrpc":"2.0","id":2,"method":"nope"}',
                    b'{"jsonrpc":"2.0","id":3,"method":"eth_getBalance","params":["0xzz","latest"]}']
            body = b"[" + b",".join(rng.choice(junk) for _ in range(MAX_BATCH)) + b"]"
            cases.append(Case("batch", "1000 bad entries", post(body), [Expect(200, ("batch", MAX_BATCH, {-32600, -32601, -32602}))]))
        else:
            body = b"[" + b",".join(rpc_body("eth_getBlockByNumber", ["latest", True], i) for i in range(MAX_BATCH)) + b"]"
            cases.append(Case("batch", "1000 full-block reads", post(body),
                              [Expect(200, ("batch", MAX_BATCH, {"result", -32003}), max_body=MAX_BATCH_RESPONSE + 200_000)],
                              timeout=60))
    return cases


# ---------------------------------------------------------------- slowloris

async def slowloris(port, count, tally, hold=HEADER_TIMEOUT + 6.0, dribble=2.0, concurrency=256):
    """`count` connections that each send a request head one byte every `dribble` seconds and never finish it.
    Expected: 408 once the header timeout passes, or 503 for connections beyond the limit."""
    gate = asyncio.Semaphore(concurrency)
    started = time.monotonic()

    async def one(i):
        async with gate:
            try:
                reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 10)
            except (OSError, asyncio.TimeoutError) as e:
                tally.add("slowloris", "dropped", f"connect failed: {type(e).__name__}")
                return
        out = Outcome()
        opened = time.monotonic()
        head = b"POST / HTTP/1.1\r\nHost: node\r\nX-Slow: " + b"a" * 1000

        async def drip():
            try:
                for b in head:
                    writer.write(bytes([b]))
                    await writer.drain()
                    await asyncio.sleep(dribble)
            except (ConnectionError, OSError):
                pass

        dripper = asyncio.ensure_future(drip())
        try:
            remaining = max(1.0, hold - (time.monotonic() - started))
            out.responses.append(await asyncio.wait_for(read_response(reader), remaining))
            out.ended = "done"
        except asyncio.IncompleteReadError:
            out.ended = "eof"
        except (ConnectionError, OSError):
            out.ended = "reset"
        except asyncio.TimeoutError:
            out.ended = "still open"
        finally:
            dripper.cancel()
            writer.close()
        held = time.monotonic() - opened
        if out.responses and out.responses[0].status in (408, 503):
            kind = f"answered {out.responses[0].status}"
            tally.add("slowloris", "expected")
        elif not out.responses and out.ended in ("eof", "reset") and held >= HEADER_TIMEOUT - 0.5:
            # Closed by the header timeout, but the 408 was lost: the client kept dripping after the server's close,
            # and the kernel's reset discards unread data (seen when a loaded client reads late).
            kind = f"closed at the timeout ({out.ended}), answer lost"
            tally.add("slowloris", "expected")
        elif out.responses or out.ended == "still open":
            kind = "other"
            tally.add("slowloris", "other", describe(out))
        else:
            kind = f"closed after {held:.1f}s ({out.ended})"
            tally.add("slowloris", "dropped", f"{describe(out)} after {held:.1f}s")
        key = f"slowloris: {kind}" if not kind.startswith("closed after") else "slowloris: closed before the timeout"
        tally.detail[key] = tally.detail.get(key, 0) + 1

    await asyncio.gather(*(one(i) for i in range(count)))


# ---------------------------------------------------------------- mempool flood

class KeepAlive:
    """One keep-alive connection for many JSON-RPC calls; reconnects when dropped."""

    def __init__(self, port):
        self.port = port
        self.reader = self.writer = None

    async def call(self, body, timeout=20.0):
        """(Response or None, how it ended)."""
        for attempt in range(2):
            try:
                if self.writer is None:
                    self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port, limit=1 << 22)
                self.writer.write(post(body))
                await self.writer.drain()
                return await asyncio.wait_for(read_response(self.reader), timeout), "done"
            except (ConnectionError, OSError, asyncio.IncompleteReadError, asyncio.TimeoutError) as e:
                self.close()
                if attempt == 1:
                    return None, type(e).__name__
        return None, "unreachable"

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def rpc_call(conn, method, params):
    response, ended = await conn.call(rpc_body(method, params))
    if response is None:
        raise RuntimeError(f"{method}: no answer ({ended})")
    doc = json.loads(response.body)
    if "error" in doc:
        raise RuntimeError(f"{method}: {doc['error']}")
    return doc["result"]


async def fund(port, funders, addresses, amount, gas_price):
    """Sends `amount` from the dev accounts to each address (round robin) and waits until the last one has it."""
    conn = KeepAlive(port)
    nonces = [int(await rpc_call(conn, "eth_getTransactionCount", ["0x" + address_of(k).hex(), "pending"]), 16)
              for k in funders]
    raws = []
    for i, a in enumerate(addresses):
        f = i % len(funders)
        raws.append(legacy_tx(funders[f], nonces[f], a, amount, gas_price))
        nonces[f] += 1
    for start in range(0, len(raws), MAX_BATCH):
        body = b"[" + b",".join(rpc_body("eth_sendRawTransaction", ["0x" + r.hex()], j) for j, r in
                                enumerate(raws[start:start + MAX_BATCH])) + b"]"
        response, ended = await conn.call(body, timeout=60)
        answers = json.loads(response.body) if response else []
        bad = [a for a in answers if "error" in a]
        if response is None or bad:
            raise RuntimeError(f"funding failed: {ended} {bad[:3]}")
    deadline = time.monotonic() + 60
    for a in addresses[-len(funders):]:
        while int(await rpc_call(conn, "eth_getBalance", ["0x" + a.hex(), "latest"]), 16) < amount:
            if time.monotonic() > deadline:
                raise RuntimeError("funding did not land within 60 s")
            await asyncio.sleep(0.1)
    conn.close()


def mempool_plan(rng, senders, in_order, gap, gas_price):
    """(label, raw, expected) per transaction: `in_order` transfers from each sender (accepted), then `gap`
    transactions after a nonce gap (queued up to the per-sender and pool limits, then refused), and a few
    replays (already known / nonce too low)."""
    sink = bytes(19) + b"\x01"
    plan = []
    for key in senders:
        me = address_of(key)
        raws = [legacy_tx(key, n, sink, 1, gas_price) for n in range(in_order)]
        plan += [("in order", r, "accepted", me) for r in raws]
        plan.append(("replay", raws[0], "already known", me))
        plan.append(("stale nonce", legacy_tx(key, 0, sink, 2, gas_price), "nonce too low", me))
        for g in range(gap):
            plan.append(("nonce gap", legacy_tx(key, in_order + 1 + g, sink, 1, gas_price), "gap", me))
    return plan


async def mempool_flood(port, plan, tally, connections=32):
    """Sends the plan in order per sender over `connections` keep-alive connections; judges each answer."""
    queued = {"count": 0}
    per_sender_gap = {}
    lanes = [[] for _ in range(connections)]
    # Each sender's transactions stay on one connection, so its nonces arrive in order.
    sender_lane = {}
    for item in plan:
        lanes[sender_lane.setdefault(item[3], len(sender_lane) % connections)].append(item)

    async def lane_run(items):
        conn = KeepAlive(port)
        for label, raw, expected, sender in items:
            response, ended = await conn.call(rpc_body("eth_sendRawTransaction", ["0x" + raw.hex()]))
            if response is None:
                tally.add("mempool", "dropped", f"{label}: {ended}")
                continue
            try:
                doc = json.loads(response.body)
            except ValueError:
                tally.add("mempool", "other", f"{label}: {response.status} {response.body[:120]!r}")
                continue
            message = doc.get("error", {}).get("message", "")
            ok = False
            if expected == "accepted":
                ok = doc.get("result") == "0x" + keccak(raw).hex()
            elif expected == "already known":
                # A resubmitted transaction already in the chain: its hash again (idempotent) or "already known".
                ok = doc.get("result") == "0x" + keccak(raw).hex() or (
                    doc.get("error", {}).get("code") == -32000 and "already known" in message)
            elif expected == "nonce too low":
                ok = doc.get("error", {}).get("code") == -32000 and "nonce too low" in message
            elif expected == "gap":
                count = per_sender_gap.get(sender, 0)
                if "result" in doc:
                    ok = count < SENDER_QUEUE and queued["count"] < POOL_TOTAL
                    per_sender_gap[sender] = count + 1
                    queued["count"] += 1
                else:
                    ok = doc["error"].get("code") == -32000 and (
                        ("too many queued transactions for this sender" in message and count >= SENDER_QUEUE) or
                        ("txpool is full" in message and queued["count"] >= POOL_TOTAL - 64))
            outcome = "accepted" if "result" in doc else (
                "queue full" if "too many queued" in message else "pool full" if "txpool is full" in message else message)
            tally.detail[f"{label}: {outcome}"] = tally.detail.get(f"{label}: {outcome}", 0) + 1
            tally.add("mempool", "expected" if ok else "other", f"{label}: {response.body[:160]!r}")
        conn.close()

    await asyncio.gather(*(lane_run(items) for items in lanes if items))
    return queued["count"]


# ---------------------------------------------------------------- good clients (another process)

def good_clients_main(port, key_bytes, stop, results, reads=2, read_interval=0.02, send_interval=0.1):
    """Runs in a child process: `reads` threads calling eth_blockNumber and one sending transfers, each on its own
    keep-alive connection; sends back [(wall time, method, seconds, ok)]."""
    import http.client
    import threading

    samples = []
    lock = threading.Lock()

    def record(method, seconds, ok):
        with lock:
            samples.append((time.time(), method, seconds, ok))

    def connect():
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        c.connect()
        c.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return c

    def call(conn, body):
        conn.request("POST", "/", body=body, headers={"Content-Type": "application/json"})
        return json.loads(conn.getresponse().read())

    def reader():
        conn = connect()
        while not stop.is_set():
            t = time.perf_counter()
            try:
                ok = "result" in call(conn, rpc_body("eth_blockNumber", []))
            except (OSError, http.client.HTTPException, ValueError):
                ok = False
                conn.close()
                try:
                    conn = connect()
                except OSError:
                    pass
            record("eth_blockNumber", time.perf_counter() - t, ok)
            stop.wait(read_interval)

    def sender():
        key = coincurve.PrivateKey(key_bytes)
        conn = connect()
        me = "0x" + address_of(key).hex()
        nonce = int(call(conn, rpc_body("eth_getTransactionCount", [me, "pending"]))["result"], 16)
        gas_price = 50 * GWEI
        while not stop.is_set():
            raw = legacy_tx(key, nonce, bytes(19) + b"\x02", 1, gas_price)
            t = time.perf_counter()
            try:
                doc = call(conn, rpc_body("eth_sendRawTransaction", ["0x" + raw.hex()]))
                ok = "result" in doc
                if ok:
                    nonce += 1
                else:
                    nonce = int(call(conn, rpc_body("eth_getTransactionCount", [me, "pending"]))["result"], 16)
            except (OSError, http.client.HTTPException, ValueError):
                ok = False
                conn.close()
                try:
                    conn = connect()
                except OSError:
                    pass
            record("eth_sendRawTransaction", time.perf_counter() - t, ok)
            stop.wait(send_interval)

    threads = [threading.Thread(target=reader) for _ in range(reads)] + [threading.Thread(target=sender)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results.send(samples)


class GoodClients:
    def __init__(self, port, key):
        ctx = multiprocessing.get_context("spawn")
        self.stop_event = ctx.Event()
        self.receiver, sender = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=good_clients_main, args=(port, key.secret, self.stop_event, sender), daemon=True)

    def start(self):
        self.proc.start()
        return self

    def stop(self):
        self.stop_event.set()
        samples = self.receiver.recv() if self.receiver.poll(60) else []
        self.proc.join(10)
        return samples


def percentile(values, p):
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def latency_summary(samples, start, end):
    """{method: (count, failures, p50 ms, p99 ms, max ms)} for samples taken in [start, end]."""
    out = {}
    for method in ("eth_blockNumber", "eth_sendRawTransaction", "all"):
        rows = [s for s in samples if (method == "all" or s[1] == method) and start <= s[0] <= end]
        lat = [s[2] * 1000 for s in rows if s[3]]
        out[method] = (len(rows), sum(1 for s in rows if not s[3]), percentile(lat, 50), percentile(lat, 99),
                       max(lat) if lat else float("nan"))
    return out


# ---------------------------------------------------------------- the node's health

def peak_rss_kib(pid):
    """VmHWM (peak resident set) of the process, in KiB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return None


def health(port):
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(b"GET /health HTTP/1.1\r\nHost: node\r\nConnection: close\r\n\r\n")
        data = b""
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    return data.split(b"\r\n")[0], data[data.find(b"\r\n\r\n") + 4:]


NOTES = {
    "http": "400/413/417/431/501/505 per case; pipelined: 200s then 400; cut-off body: closed, no answer",
    "jsonrpc": "-32700 (400) / -32600 / -32601 / -32602 / -32000 per case; huge ids: echoed result",
    "oversized": f"413 for bodies over {MAX_BODY} bytes (declared, sent, or chunked)",
    "nesting": "400 with -32700 (depth limit 64), up to 100,000 levels",
    "batch": f"400 with -32600 over {MAX_BATCH} entries; {MAX_BATCH} entries: each answered, -32003 past {MAX_BATCH_RESPONSE} B",
    "mempool": f"in-order: hash; gaps: queued up to {SENDER_QUEUE}/sender and {POOL_TOTAL} total, then refused; "
               "replays: already known / nonce too low",
    "slowloris": f"408 after the {HEADER_TIMEOUT:.0f} s header timeout, 503 beyond {MAX_CONNECTIONS} connections",
}


def new_tally():
    t = Tally()
    t.notes = NOTES
    return t


# ---------------------------------------------------------------- the whole attack

@dataclass
class Sizes:
    http: int = 3000
    jsonrpc: int = 3000
    oversized: int = 150
    nesting: int = 210
    batch: int = 100
    senders: int = 200
    in_order: int = 10
    gap: int = 70
    slowloris: int = MAX_CONNECTIONS + 100


SMALL = Sizes(http=280, jsonrpc=270, oversized=24, nesting=28, batch=16, senders=6, in_order=5, gap=SENDER_QUEUE + 6,
              slowloris=200)


def attack(node, sizes, seed, report=print, baseline=3.0):
    """Runs every category against the running `node` (a NodeProcess) while good clients call it;
    returns (tally, summary dict)."""
    from nodeproc import dev_accounts

    rng = random.Random(seed)
    port = node.port
    funders = [coincurve.PrivateKey(bytes(a.key)) for a in dev_accounts()[1:]]
    good_key = key_from_seed(seed, "good")
    senders = [key_from_seed(seed, i) for i in range(sizes.senders)]
    gas_price = 50 * GWEI
    tally = new_tally()
    t = time.monotonic()
    asyncio.run(fund(port, funders, [address_of(k) for k in senders] + [address_of(good_key)], 10**18, gas_price))
    report(f"funded {len(senders) + 1} accounts in {time.monotonic() - t:.1f}s")
    t = time.monotonic()
    plan = mempool_plan(rng, senders, sizes.in_order, sizes.gap, gas_price)
    cases = (http_cases(rng, sizes.http) + jsonrpc_cases(rng, sizes.jsonrpc) + oversized_cases(rng, sizes.oversized) +
             nesting_cases(rng, sizes.nesting) + batch_cases(rng, sizes.batch))
    rng.shuffle(cases)
    report(f"prepared {len(cases)} hostile requests and {len(plan)} signed transactions in {time.monotonic() - t:.1f}s")

    good = GoodClients(port, good_key).start()
    marks = {"start": time.time()}
    time.sleep(baseline)
    marks["attack"] = time.time()

    async def mixed():
        await asyncio.gather(run_cases(port, cases, tally), mempool_flood(port, plan, tally))

    rss = {"before": peak_rss_kib(node.proc.pid)}
    asyncio.run(mixed())
    rss["mixed"] = peak_rss_kib(node.proc.pid) if node.alive() else None
    marks["slowloris"] = time.time()
    report(f"mixed attack: {len(cases) + len(plan)} requests in {marks['slowloris'] - marks['attack']:.1f}s; "
           f"node alive: {node.alive()}")
    asyncio.run(slowloris(port, sizes.slowloris, tally))
    marks["end"] = time.time()
    report(f"slowloris: {sizes.slowloris} connections in {marks['end'] - marks['slowloris']:.1f}s; node alive: {node.alive()}")
    time.sleep(1.0)
    samples = good.stop()
    alive = node.alive()
    status_line, body = health(port) if alive else (b"", b"")
    summary = {
        "alive": alive, "health": status_line + b" " + body, "peak_rss_kib": peak_rss_kib(node.proc.pid) if alive else None,
        "rss_before_kib": rss["before"], "rss_after_mixed_kib": rss["mixed"],
        "baseline": latency_summary(samples, marks["start"], marks["attack"]),
        "mixed": latency_summary(samples, marks["attack"], marks["slowloris"]),
        "slowloris": latency_summary(samples, marks["slowloris"], marks["end"]),
        "during": latency_summary(samples, marks["attack"], marks["end"]),
        "seconds": marks["end"] - marks["attack"],
    }
    return tally, summary


def format_latency(summary):
    lines = [f"{'good clients':<22} {'window':<10} {'calls':>6} {'failed':>7} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}"]
    for window in ("baseline", "mixed", "slowloris", "during"):
        for method, (n, failed, p50, p99, worst) in summary[window].items():
            lines.append(f"{method:<22} {window:<10} {n:>6} {failed:>7} {p50:>8.2f} {p99:>8.2f} {worst:>8.1f}")
    return "\n".join(lines)


def main(argv=None):
    import argparse
    import os
    import shutil
    import tempfile

    from nodeproc import NodeProcess

    parser = argparse.ArgumentParser(description="Hostile clients against a fresh node (see Tests/wallet/hostile.py).")
    parser.add_argument("--seed", type=int)
    parser.add_argument("--small", action="store_true", help="the few-hundred-request version the pytest suite runs")
    parser.add_argument("--block-time", default="250ms")
    args = parser.parse_args(argv)
    seed = random.randrange(1 << 30) if args.seed is None else args.seed
    sizes = SMALL if args.small else Sizes()
    data_dir = tempfile.mkdtemp(prefix="sequencer-hostile-")
    node = NodeProcess(data_dir, block_time=args.block_time, extra_args=["--silent"]).start()
    print(f"hostile clients: seed {seed}, node pid {node.proc.pid} on port {node.port}, binary {os.environ.get('SEQUENCER_BIN')}")
    try:
        tally, summary = attack(node, sizes, seed)
    finally:
        alive = node.alive()
        node.stop()
    print()
    print(tally.table())
    print()
    print(format_latency(summary))
    print()
    rss = summary["peak_rss_kib"]
    print(f"node alive at the end: {summary['alive']}; /health: {summary['health'].decode(errors='replace')}")
    if rss:
        print(f"node peak RSS (VmHWM): {summary['rss_before_kib'] / 1024:.1f} MiB before the attack, "
              f"{summary['rss_after_mixed_kib'] / 1024:.1f} MiB after the mixed phase, {rss / 1024:.1f} MiB at the end")
    bad = {c: r for c, r in tally.rows.items() if r["expected"] != r["sent"]}
    if not alive or b"200" not in summary["health"] or bad:
        print(f"hostile clients: FAILED (seed {seed}); node log in {data_dir}: {node.output()[-2000:]}")
        return 1
    shutil.rmtree(data_dir, ignore_errors=True)
    print("hostile clients: passed")
    return 0


if __name__ == "__main__":
    import os
    import sys

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main())
