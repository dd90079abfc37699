"""`sequencer derive` and `sequencer wallet` driven as a user would, against
a real `sequencer l1` and no sequencer at all: deposits, forced transfers and
withdrawals, force-inclusion, claims and pre-confirmation checks all work from
the L1 alone."""

import json
import os
import socket
import subprocess

import pytest
from eth_account import Account
from eth_account.messages import encode_defunct
from eth_utils import keccak

from nodeproc import CHAIN_ID, NodeProcess, binary_path, dev_accounts

ETH = 10**18
DEV_SEQUENCER_KEY = keccak(b"rollup sequencer well-known dev key; never use with real funds")


class L1Process(NodeProcess):
    """`sequencer l1` on a free port with its own data directory."""

    def __init__(self, data_dir, block_time, force_delay=3, finality_depth=2):
        super().__init__(data_dir, block_time=block_time)
        self.force_delay = force_delay
        self.finality_depth = finality_depth

    def spawn(self):
        os.makedirs(self.data_dir, exist_ok=True)
        self.runs += 1
        self.log_path = os.path.join(self.data_dir, f"l1-{self.runs}.log")
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                [binary_path(), "l1", "--port", "0", "--block-time", self.block_time, "--force-delay", str(self.force_delay),
                 "--finality-depth", str(self.finality_depth), "--data-dir", self.data_dir, "--silent"],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        return self


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


DOWN = f"http://127.0.0.1:{closed_port()}"


def run(*args):
    return subprocess.run([binary_path(), *args], capture_output=True, text=True, timeout=60)


def wallet(l1, *args, json_out=True, expect=0):
    """Runs `sequencer wallet …` with the sequencer down; returns the parsed JSON (or the process)."""
    p = run("wallet", *args, "--l1", l1.url, "--rpc", DOWN, *(["--json"] if json_out else []))
    if expect is not None:
        assert p.returncode == expect, f"exit {p.returncode}\nstdout: {p.stdout}\nstderr: {p.stderr}"
    return json.loads(p.stdout) if json_out and p.stdout.strip() else p


def derive(l1, *addresses):
    p = run("derive", "--l1", l1.url, *[a for addr in addresses for a in ("--address", addr)])
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


@pytest.fixture(scope="module")
def dev():
    return dev_accounts()


@pytest.fixture(scope="module")
def l1(tmp_path_factory):
    """The L1 with a 200 ms block clock."""
    proc = L1Process(str(tmp_path_factory.mktemp("cli-l1")), block_time="200ms").start()
    yield proc
    proc.stop()


@pytest.fixture(scope="module")
def manual_l1(tmp_path_factory):
    """An L1 that mines only on `wallet mine`, so finality is counted exactly."""
    proc = L1Process(str(tmp_path_factory.mktemp("cli-l1-manual")), block_time="0").start()
    yield proc
    proc.stop()


@pytest.fixture(scope="module")
def forced(manual_l1, dev):
    """Account 2 forces a 1 ETH transfer to account 5 and a 0.5 ETH withdrawal to
    account 6's L1 address through the L1 queue, then anyone force-includes them."""
    before = derive(manual_l1, dev[5].address)
    transfer = wallet(manual_l1, "force", "--account", "2", "--to", dev[5].address, "--value", "1eth")
    exit_ = wallet(manual_l1, "withdraw", "--account", "2", "--to", dev[6].address, "--value", "0.5eth", "--force")
    assert (transfer["queueIndex"], exit_["queueIndex"]) == (0, 1)
    assert (transfer["nonce"], exit_["nonce"]) == (0, 1), "the second forced tx must count the first, still queued"
    assert exit_["overdueFromL1Block"] == exit_["l1BlockNumber"] + 3
    early = wallet(manual_l1, "force-include", expect=1)
    assert early["included"] is False and early["reason"] == "nothingOverdue"
    mined = wallet(manual_l1, "mine", "4")
    assert mined["last"] == exit_["overdueFromL1Block"] + 1
    included = wallet(manual_l1, "force-include")
    assert included["included"] is True and included["items"] == 2
    return {"before": before, "transfer": transfer, "exit": exit_, "block": included["l2BlockNumber"]}


def test_derive_reports_an_unreachable_l1():
    p = run("derive", "--l1", DOWN)
    assert p.returncode == 1
    assert "L1 unreachable" in p.stderr


def test_derive_prints_the_head_and_accounts(l1, dev):
    d = derive(l1, f"{dev[0].address},{dev[1].address}")
    for key in ("l2BlockNumber", "l2BlockHash", "stateRoot", "safeBlockNumber", "finalizedBlockNumber", "forcedQueueCursor", "batches"):
        assert key in d
    assert d["balances"][dev[1].address] == str(10_000 * ETH)
    assert d["nonces"][dev[0].address] == 0


def test_deposit_lowers_the_l1_balance(l1, dev):
    before = wallet(l1, "balance", "--account", "1")
    assert before["l2"]["source"] == "l1-derived"
    dep = wallet(l1, "deposit", "--account", "1", "--value", "2.5eth")
    assert dep["amount"] == str(25 * ETH // 10) and dep["l1Nonce"] == 0
    after = wallet(l1, "balance", dev[1].address)
    assert int(after["l1"]["wei"]) == int(before["l1"]["wei"]) - 25 * ETH // 10
    assert wallet(l1, "deposit", "--account", "1", "--value", "1gwei")["l1Nonce"] == 1


def test_forced_transfer_and_withdrawal_execute_without_a_sequencer(manual_l1, forced, dev):
    d = derive(manual_l1, dev[2].address, dev[5].address)
    assert d["nonces"][dev[2].address] == 2
    assert int(d["balances"][dev[5].address]) == int(forced["before"]["balances"][dev[5].address]) + ETH
    assert d["forcedQueueCursor"] == 2 and d["l2BlockNumber"] == forced["block"]


def test_claim_waits_for_finality_then_pays_once(manual_l1, forced, dev):
    tx = forced["exit"]["txHash"]
    early = wallet(manual_l1, "claim", "--tx", tx, expect=1)
    assert early["claimed"] is False and early["reason"] == "withdrawalNotFinal" and early["waitL1Blocks"] == 2
    l1_before = wallet(manual_l1, "balance", "--account", "6")["l1"]["wei"]
    wallet(manual_l1, "mine", "2")
    paid = wallet(manual_l1, "claim", "--account", "6")
    assert paid["claimed"] is True and paid["transactionHash"] == tx and paid["recipient"] == dev[6].address
    assert int(wallet(manual_l1, "balance", "--account", "6")["l1"]["wei"]) == int(l1_before) + ETH // 2
    again = wallet(manual_l1, "claim", "--block", str(forced["block"]), "--index", "0", expect=1)
    assert again["claimed"] is False and again["reason"] == "alreadyClaimed"


def promise(tx_hash, block, index, key=DEV_SEQUENCER_KEY, timestamp=1_700_000_000):
    words = [CHAIN_ID.to_bytes(32, "big"), bytes.fromhex(tx_hash[2:]), block.to_bytes(32, "big"),
             index.to_bytes(32, "big"), timestamp.to_bytes(32, "big")]
    signed = Account.sign_message(encode_defunct(primitive=keccak(b"".join(words))), key)
    return json.dumps({"txHash": tx_hash, "blockNumber": hex(block), "index": hex(index), "timestamp": hex(timestamp),
                       "chainId": hex(CHAIN_ID), "sequencer": Account.from_key(DEV_SEQUENCER_KEY).address,
                       "signature": "0x" + bytes(signed.signature).hex()})


def test_verify_preconf_rejects_a_forged_signature(manual_l1, forced):
    forged = promise(forced["transfer"]["txHash"], forced["block"], 0, key=b"\x11" * 32)
    p = wallet(manual_l1, "verify-preconf", forged, expect=None)
    assert p["verdict"] == "forged"
    out = wallet(manual_l1, "verify-preconf", forged, json_out=False, expect=None)
    assert out.returncode == 3 and "FORGED" in out.stdout


def test_verify_preconf_against_the_l1(manual_l1, forced):
    transfer, exit_, block = forced["transfer"]["txHash"], forced["exit"]["txHash"], forced["block"]
    kept = wallet(manual_l1, "verify-preconf", promise(transfer, block, 0))
    assert kept["verdict"] == "kept" and kept["inboxKind"] == "forcedInclusion"
    assert wallet(manual_l1, "verify-preconf", promise(transfer, block + 100, 0))["verdict"] == "notYetDue"
    broken = wallet(manual_l1, "verify-preconf", promise(exit_, block, 0), expect=3)
    assert broken["verdict"] == "broken" and broken["heldAtPosition"] == transfer
    assert broken["actualPosition"] == {"blockNumber": block, "index": 1}


def test_amounts_and_help(manual_l1):
    assert run("wallet", "send", "--help").returncode == 0
    bad = run("wallet", "deposit", "--value", "1.5gweii", "--l1", manual_l1.url)
    assert bad.returncode == 2 and "invalid value" in bad.stderr
