"""The L1 forces blocks in while the sequencer holds blocks it never posted:
on restart it adopts the L1's blocks, replays its own transactions on top,
reports the pre-confirmations it could not keep, and its safe state equals
what `sequencer derive` rebuilds from the L1 alone (issue: the simulated L1)."""
import os
import tempfile

import requests

from eth_account import Account

from nodeproc import NodeProcess, dev_accounts
from test_cli import L1Process
from test_l1_node import derive, rpc, signed, wait


def test_unposted_blocks_are_replayed_on_top_of_l1_forced_blocks():
    accts = dev_accounts()
    with tempfile.TemporaryDirectory() as d:
        l1 = L1Process(os.path.join(d, "l1"), block_time="100ms", force_delay=3, finality_depth=2)
        l1.start()
        # A sequencer that does not post: its blocks stay local.
        node = NodeProcess(os.path.join(d, "node"), block_time="100ms",
                           extra_args=["--l1", l1.url, "--batch-max-age", "3600s"])
        node.start()
        try:
            victim, mover = accts[1], accts[2]
            kept_target, forced_target = Account.create().address, Account.create().address
            own = rpc(node.url, "seq_sendRawTransaction", signed(victim, 0, kept_target, 111))
            moved = rpc(node.url, "seq_sendRawTransaction", signed(mover, 0, kept_target, 222))
            wait("both sealed", lambda: rpc(node.url, "eth_getTransactionReceipt", moved["txHash"]))
            node.kill()

            # While it is down, the victim forces a transaction with the same nonce through the L1.
            queued = rpc(l1.url, "l1_enqueueTransaction", signed(victim, 0, forced_target, 333))
            wait("the delay", lambda: int(rpc(l1.url, "l1_blockNumber"), 16) >= int(queued["deadline"], 16))
            forced = rpc(l1.url, "l1_forceInclude")
            assert int(forced["l2BlockNumber"], 16) == 1, forced

            node.extra_args = ["--l1", l1.url, "--batch-max-age", "200ms"]
            node.start()
            wait("the reconciliation", lambda: "reconciled with l1" in node.output())
            log = node.output()
            assert "pre-confirmation broken" in log, log
            assert own["txHash"] in log and moved["txHash"] in log, log

            assert int(rpc(node.url, "eth_getBalance", forced_target, "latest"), 16) == 333
            assert rpc(node.url, "eth_getTransactionByHash", own["txHash"]) is None, "its nonce went to the forced transaction"
            receipt = wait("the replayed transfer", lambda: rpc(node.url, "eth_getTransactionReceipt", moved["txHash"]))
            assert int(receipt["blockNumber"], 16) > 1, receipt
            assert int(rpc(node.url, "eth_getBalance", kept_target, "latest"), 16) == 222
            assert int(rpc(node.url, "seq_status")["brokenPreconfirmations"], 16) == 2
            metrics = requests.get(node.url + "/metrics", timeout=10).text
            assert "sequencer_preconfirmations_broken_total 2" in metrics, metrics

            # The replayed blocks are posted, and the L1's chain is the sequencer's.
            head = int(rpc(node.url, "eth_blockNumber"), 16)
            wait("the replayed blocks posted", lambda: int(rpc(l1.url, "l1_getL2Head")["number"], 16) >= head)
            derived = derive(l1, kept_target, forced_target)
            assert int(derived["balances"][kept_target]) == 222 and int(derived["balances"][forced_target]) == 333, derived
            safe = wait("the safe tag", lambda: (lambda b: b if int(b["number"], 16) == int(derived["l2BlockNumber"]) else None)(
                rpc(node.url, "eth_getBlockByNumber", "safe", False)))
            assert safe["stateRoot"] == derived["stateRoot"], (safe, derived)
        finally:
            node.kill()
            l1.kill()
