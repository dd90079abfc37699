"""The L1 and the sequencer as separate processes on loopback: deposits,
forced transactions, exits, a sequencer that goes down and comes back, and
an L1 that survives kill -9 (issue: the simulated L1)."""
import json
import os
import subprocess
import tempfile
import time

import requests
from eth_account import Account

from nodeproc import CHAIN_ID, NodeProcess, WITHDRAWAL_ADDRESS, binary_path, dev_accounts
from test_cli import L1Process

ETH = 10**18


def rpc(url, method, *params):
    r = requests.post(url, json={"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)}, timeout=10).json()
    assert "error" not in r, f"{method}: {r['error']}"
    return r["result"]


def wait(what, condition, timeout=30.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def signed(acct, nonce, to, value, data=b""):
    tx = {"type": 2, "chainId": CHAIN_ID, "nonce": nonce, "to": to, "value": value, "gas": 21000 + 16 * len(data),
          "maxFeePerGas": 10**9, "maxPriorityFeePerGas": 10**6, "data": data}
    return "0x" + bytes(acct.sign_transaction(tx).raw_transaction).hex()


def wallet(*args):
    p = subprocess.run([binary_path(), "wallet", *args, "--json"], capture_output=True, text=True, timeout=60)
    return p.returncode, (json.loads(p.stdout) if p.stdout.strip().startswith("{") else p.stdout + p.stderr)


def derive(l1, *addresses):
    p = subprocess.run([binary_path(), "derive", "--l1", l1.url, *sum((["--address", a] for a in addresses), [])],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def test_l1_and_sequencer_as_separate_processes():
    accts = dev_accounts()
    with tempfile.TemporaryDirectory() as d:
        l1 = L1Process(os.path.join(d, "l1"), block_time="200ms", force_delay=4, finality_depth=2)
        l1.start()
        node = NodeProcess(os.path.join(d, "node"), block_time="100ms",
                           extra_args=["--l1", l1.url, "--batch-max-age", "300ms"])
        node.start()
        try:
            # A deposit on L1 arrives on L2.
            fresh = Account.create().address
            rc, out = wallet("deposit", "--value", "1eth", "--to", fresh, "--account", "5", "--l1", l1.url, "--rpc", node.url)
            assert rc == 0, out
            wait("the deposit on L2", lambda: int(rpc(node.url, "eth_getBalance", fresh, "latest"), 16) == ETH)

            # The honest sequencer includes a forced transaction well before its deadline.
            target = Account.create().address
            queued = rpc(l1.url, "l1_enqueueTransaction", signed(accts[6], 0, target, 12345))
            deadline = int(queued["deadline"], 16)
            wait("the forced transfer on L2", lambda: int(rpc(node.url, "eth_getBalance", target, "latest"), 16) == 12345)
            assert int(rpc(l1.url, "l1_blockNumber"), 16) < deadline

            # A withdrawal through the sequencer is claimed on L1 after finality, once.
            h = rpc(node.url, "eth_sendRawTransaction", signed(accts[7], 0, WITHDRAWAL_ADDRESS, ETH // 2))
            receipt = wait("the withdrawal receipt", lambda: rpc(node.url, "eth_getTransactionReceipt", h))
            block = int(receipt["blockNumber"], 16)
            wait("finality", lambda: int(rpc(l1.url, "l1_getL2Head")["finalized"], 16) >= block)
            before = int(rpc(l1.url, "l1_getBalance", accts[7].address), 16)
            rc, out = wallet("claim", "--account", "7", "--l1", l1.url, "--rpc", node.url)
            assert rc == 0, out
            assert int(rpc(l1.url, "l1_getBalance", accts[7].address), 16) == before + ETH // 2
            rc, out = wallet("claim", "--account", "7", "--l1", l1.url, "--rpc", node.url)
            assert rc != 0 and "already" in json.dumps(out), out

            # The sequencer goes down: a transfer and an exit get in through the L1 alone.
            wait("every block batched", lambda: int(rpc(l1.url, "l1_getL2Head")["number"], 16) >= int(rpc(node.url, "eth_blockNumber"), 16))
            node.kill()
            payee = Account.create().address
            rpc(l1.url, "l1_enqueueTransaction", signed(accts[8], 0, payee, ETH))
            exit_q = rpc(l1.url, "l1_enqueueTransaction", signed(accts[8], 1, WITHDRAWAL_ADDRESS, ETH))
            wait("the delay", lambda: int(rpc(l1.url, "l1_blockNumber"), 16) >= int(exit_q["deadline"], 16))
            forced = rpc(l1.url, "l1_forceInclude")
            assert int(forced["items"], 16) == 2, forced
            derived = derive(l1, payee, accts[8].address)
            assert int(derived["balances"][payee]) == ETH, derived
            assert int(derived["nonces"][accts[8].address]) == 2, derived
            wait("finality of the forced block", lambda: int(rpc(l1.url, "l1_getL2Head")["finalized"], 16) >= int(forced["l2BlockNumber"], 16))
            before = int(rpc(l1.url, "l1_getBalance", accts[8].address), 16)
            rc, out = wallet("claim", "--account", "8", "--l1", l1.url, "--rpc", node.url)
            assert rc == 0, out
            assert int(rpc(l1.url, "l1_getBalance", accts[8].address), 16) == before + ETH

            # The sequencer comes back, catches up, and its safe state equals what derive prints.
            node.start()
            l2_head = int(rpc(l1.url, "l1_getL2Head")["number"], 16)
            wait("catch-up", lambda: int(rpc(node.url, "eth_blockNumber"), 16) >= l2_head)
            derived = derive(l1)
            safe = wait("the safe tag", lambda: (lambda b: b if int(b["number"], 16) == int(derived["l2BlockNumber"]) else None)(
                rpc(node.url, "eth_getBlockByNumber", "safe", False)))
            assert safe["stateRoot"] == derived["stateRoot"], (safe, derived)

            # The L1 survives kill -9 with its blocks, queue and batches.
            head_before = rpc(l1.url, "l1_getL2Head")
            queue_before = rpc(l1.url, "l1_getQueue", "0x0", "0x64")
            l1.kill()
            l1.start()
            head_after = rpc(l1.url, "l1_getL2Head")
            assert int(head_after["l1BlockNumber"], 16) >= int(head_before["l1BlockNumber"], 16)
            for key in ("number", "hash", "stateRoot", "queueAccumulator", "inboxAccumulator", "lastBatchHash"):
                assert head_after[key] == head_before[key], key
            assert rpc(l1.url, "l1_getQueue", "0x0", "0x64") == queue_before
        finally:
            node.kill()
            l1.kill()
