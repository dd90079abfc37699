"""A transaction's whole story (issue 10): `seq_getTransactionStatus` on the
node and `sequencer wallet status`, which also reads the L1 itself. Under
the censor policy the wallet flags the victim's transaction as likely
censored and names the L1 block from which it can be forced; forced through
the L1 queue its status goes to forced, then safe. An honest transaction
walks pending → pre-confirmed → in a batch → safe → finalized."""
import json
import os
import subprocess
import tempfile
import time

import requests
from eth_account import Account
from eth_utils import keccak

from nodeproc import CHAIN_ID, NodeProcess, binary_path, dev_accounts
from test_cli import L1Process
from test_l1_node import rpc, wait
from walletlib import preconfirmation_signer

ORDER = ["pending", "preconfirmed", "forced", "batched", "safe", "finalized"]


def signed(acct, nonce, to, value):
    tx = {"type": 2, "chainId": CHAIN_ID, "nonce": nonce, "to": to, "value": value, "gas": 21000,
          "maxFeePerGas": 10**9, "maxPriorityFeePerGas": 10**6}
    return "0x" + bytes(acct.sign_transaction(tx).raw_transaction).hex()


def wallet(*args, json_output=True):
    p = subprocess.run([binary_path(), "wallet", *args, *(["--json"] if json_output else [])],
                       capture_output=True, text=True, timeout=60)
    if not json_output:
        return p.returncode, p.stdout + p.stderr
    return p.returncode, (json.loads(p.stdout) if p.stdout.strip().startswith("{") else p.stdout + p.stderr)


def status(node, h):
    return rpc(node.url, "seq_getTransactionStatus", h)


def watch(node, h, until, timeout=30.0):
    """Polls the status until `until(status)`, returning every distinct stage seen, in order."""
    seen = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        s = status(node, h)
        if not seen or seen[-1] != s["stage"]:
            seen.append(s["stage"])
        if until(s):
            return s, seen
        time.sleep(0.03)
    raise AssertionError(f"timed out; stages seen {seen}, last {s}")


def assert_in_order(stages):
    ranks = [ORDER.index(s) for s in stages]
    assert ranks == sorted(ranks), f"stages went backwards: {stages}"


class Network:
    def __init__(self, d, censor=None):
        self.l1 = L1Process(os.path.join(d, "l1"), block_time="200ms", force_delay=4, finality_depth=2)
        args = ["--l1", None, "--batch-max-age", "300ms"] + (["--censor", censor] if censor else [])
        self.node_args = args
        self.node = None
        self.dir = d

    def __enter__(self):
        self.l1.start()
        self.node_args[1] = self.l1.url
        self.node = NodeProcess(os.path.join(self.dir, "node"), block_time="100ms", extra_args=self.node_args).start()
        return self

    def __exit__(self, *exc):
        if self.node:
            self.node.stop()
        self.l1.stop()

    def endpoints(self):
        return ["--rpc", self.node.url, "--l1", self.l1.url]


def test_censored_transaction_is_flagged_then_forced_in_and_becomes_safe():
    accts = dev_accounts()
    victim, busy = accts[3], accts[4]
    target = Account.create().address
    with tempfile.TemporaryDirectory() as d, Network(d, censor=victim.address) as net:
        raw = signed(victim, 0, target, 777)
        h = rpc(net.node.url, "eth_sendRawTransaction", raw)

        s = status(net.node, h)
        assert s["stage"] == "pending", s
        assert s["pending"]["reason"] == "withheld", s
        assert s["raw"] == raw
        fi = s["forceInclusion"]
        assert int(fi["forceableFromL1Block"], 16) == int(fi["l1Head"], 16) + 4
        assert fi["l1Methods"] == ["l1_enqueueTransaction", "l1_forceInclude"]
        assert fi["command"].startswith("sequencer wallet force --raw " + raw)

        rc, out = wallet("status", h, "--censorship-blocks", "3", *net.endpoints())
        assert rc == 0, out
        assert out["likelyCensored"] is False, "nothing else was included yet"

        # Others get in while the victim waits.
        for n in range(4):
            hb = rpc(net.node.url, "eth_sendRawTransaction", signed(busy, n, target, 1))
            wait("the busy sender's receipt", lambda: rpc(net.node.url, "eth_getTransactionReceipt", hb))
        waited = status(net.node, h)["pending"]
        assert int(waited["blocksWithTransactionsSince"], 16) >= 3, waited

        rc, out = wallet("status", h, "--censorship-blocks", "3", *net.endpoints())
        assert rc == 0, out
        assert out["likelyCensored"] is True, out
        assert out["censorship"]["nextNonce"] and out["censorship"]["paysBaseFee"] and out["censorship"]["paysTip"], out
        forceable = out["forceInclusion"]["forceableFromL1Block"]
        assert forceable == out["l1"]["l1Head"] + 4, out
        assert out["forceInclusion"]["command"] == f"sequencer wallet force --raw {raw} --l1 {net.l1.url}"
        assert "queueIndex" not in out["l1"] and "l2BlockNumber" not in out["l1"], out

        rc, text = wallet("status", h, "--censorship-blocks", "3", *net.endpoints(), json_output=False)
        assert rc == 0, text
        assert "LIKELY CENSORSHIP" in text, text
        assert f"sequencer wallet force --raw {raw} --l1 {net.l1.url}" in text, text
        assert "from L1 block " in text, text

        rc, out = wallet("status", h, "--censorship-blocks", "1000", *net.endpoints())
        assert out["likelyCensored"] is False, "a threshold not reached flags nothing"

        # Force it through the L1 queue with the very command the wallet printed.
        rc, queued = wallet(*out["forceInclusion"]["command"].split()[2:], "--rpc", net.node.url)
        assert rc == 0, queued
        assert queued["txHash"] == h
        assert queued["overdueFromL1Block"] >= forceable

        final, seen = watch(net.node, h, lambda s: s["stage"] in ("safe", "finalized"))
        assert_in_order(seen)
        assert seen[0] in ("pending", "forced"), seen
        history = [m["stage"] for m in final["stages"]]
        assert history[:4] == ["pending", "forced", "batched", "safe"], final
        assert int(final["forcedQueueIndex"], 16) == queued["queueIndex"]
        assert final["l1"]["kind"] == "batch"
        assert "forceInclusion" not in final, "no forcing advice once it is on L1"
        times = [m["atMs"] for m in final["stages"]]
        assert all(t is not None for t in times) and times == sorted(times), final

        rc, out = wallet("status", h, *net.endpoints())
        assert rc == 0, out
        assert out["l1"]["queueIndex"] == queued["queueIndex"] and out["l1"]["queueConsumed"] is True, out
        assert out["l1"]["l2BlockNumber"] == int(final["blockNumber"], 16), out
        assert out["likelyCensored"] is False


def test_honest_transaction_walks_from_pending_to_finalized():
    accts = dev_accounts()
    sender = accts[5]
    target = Account.create().address
    with tempfile.TemporaryDirectory() as d, Network(d) as net:
        later = signed(sender, 1, target, 2)
        h = rpc(net.node.url, "eth_sendRawTransaction", later)
        s = status(net.node, h)
        assert s["stage"] == "pending" and s["pending"]["reason"] == "nonceGap", s
        assert s["pending"]["expectedNonce"] == "0x0"

        first = rpc(net.node.url, "seq_sendRawTransaction", signed(sender, 0, target, 1))
        assert first["signature"]

        # The finality time comes from the L1 block that made it final, read up to a poll after the stage.
        final, seen = watch(net.node, h, lambda s: s["stage"] == "finalized" and s["stages"][-1]["atMs"] is not None, timeout=40)
        assert_in_order(seen)
        history = [m["stage"] for m in final["stages"]]
        assert history == ["pending", "preconfirmed", "batched", "safe", "finalized"], final
        times = [m["atMs"] for m in final["stages"]]
        assert all(t is not None for t in times) and times == sorted(times), final
        assert abs(times[0] - time.time() * 1000) < 120_000, "times are unix milliseconds"
        promise = final["preconfirmation"]
        assert promise["txHash"] == h and promise["blockNumber"] == final["blockNumber"]
        assert preconfirmation_signer(promise) == rpc(net.node.url, "seq_status")["sequencer"]
        l1 = final["l1"]
        assert int(final["stages"][2]["l1BlockNumber"], 16) == int(l1["l1BlockNumber"], 16)
        assert int(l1["finalAtL1Block"], 16) == int(l1["l1BlockNumber"], 16) + 2

        rc, out = wallet("verify-preconf", "--tx", h, *net.endpoints())
        assert rc == 0, out
        assert out["verdict"] == "kept" and out["finalized"] is True, out
        assert out["l1BlockNumber"] == int(l1["l1BlockNumber"], 16)

        rc, out = wallet("status", h, *net.endpoints())
        assert rc == 0, out
        assert out["l1"]["finalized"] is True and out["l1"]["kind"] == "batch", out
        assert out["l1"]["l1BlockNumber"] == int(l1["l1BlockNumber"], 16)

        unknown = status(net.node, "0x" + "ab" * 32)
        assert unknown["stage"] == "unknown" and unknown["stages"] == []

        # A rejection by the sequencer is remembered with its reason.
        stale = signed(sender, 0, target, 3)
        r = requests.post(net.node.url, json={"jsonrpc": "2.0", "id": 1, "method": "eth_sendRawTransaction",
                                              "params": [stale]}, timeout=10).json()
        assert "nonce too low" in r["error"]["message"], r
        rejected = status(net.node, "0x" + keccak(hexstr=stale).hex())
        assert rejected["stage"] == "rejected" and "nonce too low" in rejected["reason"], rejected
        assert rejected["stages"][0]["atMs"] is not None
