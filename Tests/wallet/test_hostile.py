"""Hostile clients, short version of `scripts/hostile-clients`: a few hundred
malformed HTTP requests, malformed JSON-RPC payloads, oversized bodies, JSON
nested 100,000 deep, huge batches, a nonce-gap flood past the per-sender
limit and slowloris connections, against the real binary. Each must get its
own error (status and JSON-RPC code), the node must stay up and keep serving
good clients (no timing asserts: latency is the script's business)."""

import os
import random

import hostile
from nodeproc import NodeProcess


def test_every_hostile_request_gets_its_error_and_the_node_keeps_serving(tmp_path):
    seed = int(os.environ.get("HOSTILE_SEED", random.randrange(1 << 30)))
    node = NodeProcess(str(tmp_path / "data"), block_time="250ms", extra_args=["--silent"]).start()
    try:
        tally, summary = hostile.attack(node, hostile.SMALL, seed, report=print, baseline=0.5)
        print(tally.table())
        print(hostile.format_latency(summary))
        assert summary["alive"], f"the node died (seed {seed}):\n{node.output()[-3000:]}"
        assert summary["health"].startswith(b"HTTP/1.1 200"), summary["health"]

        sizes = hostile.SMALL
        expected_sent = {
            "http": sizes.http, "jsonrpc": sizes.jsonrpc, "oversized": sizes.oversized, "nesting": sizes.nesting,
            "batch": sizes.batch, "slowloris": sizes.slowloris,
            "mempool": sizes.senders * (sizes.in_order + 2 + sizes.gap),
        }
        for category, sent in expected_sent.items():
            row = tally.rows.get(category)
            assert row is not None and row["sent"] == sent, (category, row)
            assert row["expected"] == sent, f"{category} (seed {seed}): {row}\n{tally.table()}"

        # The good clients were served throughout, reads and transactions alike.
        for method in ("eth_blockNumber", "eth_sendRawTransaction"):
            calls, failed = summary["during"][method][:2]
            assert calls > 0 and failed == 0, (method, summary["during"][method])
    finally:
        node.stop()
