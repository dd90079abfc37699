"""kill -9 at random moments, restart on the same data directory, and every
promise still holds (a small run of `scripts/crash-test`), plus one exact
case: a kill right after pre-confirmations of an unsealed block."""

import os
import random
import tempfile

from web3 import Web3

import crashloop
from nodeproc import NodeProcess, dev_accounts
from walletlib import preconfirmation_signer, rpc, sign


def test_random_kills_keep_every_promise(tmp_path):
    lines = []

    def report(line):
        lines.append(line)
        print(line)

    seed = int(os.environ.get("CRASH_SEED", random.randrange(1 << 30)))
    summary = crashloop.run(3, str(tmp_path / "data"), seed=seed, report=report)
    assert not crashloop.failures(summary), "\n".join(lines)
    assert summary["kills"] == 3
    assert summary["promised"] > 0 and summary["promised_preconfirmed"] > 0


def test_kill_right_after_preconfirmation_of_an_open_block():
    sender, other = dev_accounts()[1], dev_accounts()[2]
    with tempfile.TemporaryDirectory(prefix="sequencer-kill-") as d:
        node = NodeProcess(d, block_time="2s").start()
        try:
            w3 = Web3(Web3.HTTPProvider(node.url, request_kwargs={"timeout": 20}))
            base = {"to": other.address, "value": 1, "gas": 21000, "chainId": 31337,
                    "maxFeePerGas": 10**9, "maxPriorityFeePerGas": 10**6}
            raws = [sign(sender, dict(base, nonce=i, value=i + 1)) for i in range(5)]
            promises = [rpc(w3, "seq_sendRawTransaction", ["0x" + raw.hex()]) for raw in raws[:3]]
            queued = rpc(w3, "seq_sendRawTransaction", ["0x" + raws[4].hex()])
            assert queued["status"] == "queued"
            assert all(int(p["blockNumber"], 16) == 1 for p in promises)
            assert [int(p["index"], 16) for p in promises] == [0, 1, 2]
            sequencer = rpc(w3, "seq_status", [])["sequencer"]
            node.kill()

            node.start()
            w3 = Web3(Web3.HTTPProvider(node.url, request_kwargs={"timeout": 20}))
            assert rpc(w3, "seq_status", [])["sequencer"] == sequencer
            assert w3.eth.get_transaction_count(sender.address, "pending") == 3
            assert w3.eth.get_transaction(queued["txHash"])["blockNumber"] is None
            for p in promises:
                again = rpc(w3, "seq_getPreconfirmation", [p["txHash"]])
                assert (again["blockNumber"], again["index"], again["timestamp"]) == \
                       (p["blockNumber"], p["index"], p["timestamp"])
                assert preconfirmation_signer(again) == sequencer
            last = w3.eth.send_raw_transaction(raws[3])
            hashes = [p["txHash"] for p in promises] + [last, queued["txHash"]]
            receipts = [w3.eth.wait_for_transaction_receipt(h, timeout=20, poll_latency=0.1) for h in hashes]
            assert [(r["blockNumber"], r["transactionIndex"]) for r in receipts[:3]] == \
                   [(int(p["blockNumber"], 16), int(p["index"], 16)) for p in promises]
            assert w3.eth.get_transaction_count(sender.address) == 5
            assert w3.eth.get_balance(other.address) == 10_000 * 10**18 + sum(range(1, 6))
            assert w3.eth.get_block(1)["timestamp"] == int(promises[0]["timestamp"], 16)
        finally:
            node.stop()
