"""Dev accounts from any mnemonic: `--mnemonic`, `--accounts`, `--balance`
on the dev node (embedded L1) and on a separate `sequencer l1` + `sequencer
node`, checked against eth-account's own BIP-39/BIP-32 derivation; the
`Listening on` banner, `--silent`, and usage errors for bad values."""

import json
import os
import re
import subprocess
import time

import pytest
from eth_account import Account
from eth_account.hdaccount.mnemonic import Mnemonic
from web3 import Web3

from nodeproc import LISTENING, NodeProcess, binary_path
from walletlib import filled, send

ETH = 10**18
Account.enable_unaudited_hdwallet_features()


def derived(mnemonic, count):
    return [Account.from_mnemonic(mnemonic, account_path=f"m/44'/60'/0'/0/{i}") for i in range(count)]


def wait_safe(w3, number, timeout=40.0):
    """Waits until the `safe` block (in a batch the L1 accepted) reaches `number`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if w3.eth.get_block("safe")["number"] >= number:
            return
        time.sleep(0.1)
    pytest.fail(f"block {number} never became safe: the L1 did not accept the batch (safe is {w3.eth.get_block('safe')['number']})")


def transfer_becomes_safe(w3, accounts):
    """Account 0 pays account 1 and the block holding it gets into an accepted batch."""
    before = w3.eth.get_balance(accounts[1].address)
    tx = filled(w3, accounts[0], accounts[1].address, ETH // 10)
    receipt = w3.eth.wait_for_transaction_receipt(send(w3, accounts[0], tx), timeout=20)
    assert receipt["status"] == 1
    assert w3.eth.get_balance(accounts[1].address) == before + ETH // 10
    wait_safe(w3, receipt["blockNumber"])


FAST = ["--batch-max-age", "200ms", "--l1-block-time", "200ms"]


@pytest.fixture(scope="module")
def mnemonic():
    return Mnemonic().generate(num_words=12)


def test_mnemonic_accounts_and_balance_on_the_dev_node(tmp_path, mnemonic):
    node = NodeProcess(str(tmp_path / "node"), extra_args=["--mnemonic", mnemonic, "--accounts", "3", "--balance", "5", *FAST])
    node.start()
    try:
        w3 = Web3(Web3.HTTPProvider(node.url, request_kwargs={"timeout": 20}))
        accounts = derived(mnemonic, 3)
        assert w3.eth.accounts == [a.address for a in accounts]
        for a in accounts:
            assert w3.eth.get_balance(a.address) == 5 * ETH
        for default in ("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"):
            assert w3.eth.get_balance(default) == 0, "the default accounts must not be funded with another mnemonic"
        banner = node.output()
        for i, a in enumerate(accounts):
            assert f"({i}) {a.address} (5 ETH)" in banner
            assert f"({i}) 0x{a.key.hex().removeprefix('0x')}" in banner
        assert mnemonic in banner
        # The embedded L1 re-executes batches from the same genesis, or it would reject them.
        transfer_becomes_safe(w3, accounts)
    finally:
        node.stop()


def test_default_accounts_and_fractional_balance(tmp_path):
    node = NodeProcess(str(tmp_path / "node"), extra_args=["--accounts", "12", "--balance", "0.25"])
    node.start()
    try:
        w3 = Web3(Web3.HTTPProvider(node.url, request_kwargs={"timeout": 20}))
        accounts = derived("test test test test test test test test test test test junk", 12)
        assert w3.eth.accounts == [a.address for a in accounts]
        assert w3.eth.accounts[0] == "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
        assert [w3.eth.get_balance(a.address) for a in accounts] == [ETH // 4] * 12
    finally:
        node.stop()


def test_silent_prints_only_the_listening_line(tmp_path, mnemonic):
    node = NodeProcess(str(tmp_path / "node"), extra_args=["--mnemonic", mnemonic, "--accounts", "2", "--silent"])
    node.start()
    w3 = Web3(Web3.HTTPProvider(node.url, request_kwargs={"timeout": 20}))
    assert len(w3.eth.accounts) == 2
    assert node.stop() == 0
    lines = [line for line in node.output().splitlines() if line.strip()]
    assert len(lines) == 1 and LISTENING.match(lines[0]), f"--silent printed more than the banner: {lines}"
    assert lines[0] == f"Listening on 127.0.0.1:{node.port}"


def test_listening_line_comes_after_the_bind(tmp_path):
    """A harness may connect as soon as it sees the line: the port is already open."""
    node = NodeProcess(str(tmp_path / "node"), extra_args=["--silent"])
    node.start()
    try:
        w3 = Web3(Web3.HTTPProvider(node.url, request_kwargs={"timeout": 5}))
        assert w3.eth.chain_id == 31337
    finally:
        node.stop()


def run(*args):
    return subprocess.run([binary_path(), *args], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("args, complaint", [
    (["--mnemonic", "test test test test test test test test test test test junkk"], "word 12 ('junkk') is not in the BIP-39 English wordlist"),
    (["--mnemonic", "test test test test test test test test test test test test"], "checksum does not match"),
    (["--mnemonic", "test test test"], "12, 15, 18, 21 or 24 words, not 3"),
    (["--accounts", "many"], "--accounts"),
    (["--balance", "lots"], "--balance"),
    (["--balance", "0.0000000000000000001"], "--balance"),
])
def test_bad_values_are_usage_errors(tmp_path, args, complaint):
    for command in ([], ["l1"]):
        p = run(*command, "--port", "0", "--data-dir", str(tmp_path / "unused"), *args)
        assert p.returncode == 2, f"{command + args}: exit {p.returncode}\n{p.stdout}\n{p.stderr}"
        assert complaint in p.stderr and p.stderr.startswith("error: "), p.stderr
        assert not LISTENING.search(p.stdout)


class L1Process(NodeProcess):
    """`sequencer l1` with the given flags on a free port."""

    def spawn(self):
        os.makedirs(self.data_dir, exist_ok=True)
        self.runs += 1
        self.log_path = os.path.join(self.data_dir, f"l1-{self.runs}.log")
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen([binary_path(), "l1", "--port", "0", "--block-time", self.block_time,
                                          "--data-dir", self.data_dir, *self.extra_args],
                                         stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        return self


def test_separate_l1_with_the_same_accounts_accepts_the_batches(tmp_path, mnemonic):
    flags = ["--mnemonic", mnemonic, "--accounts", "2", "--balance", "7"]
    l1 = L1Process(str(tmp_path / "l1"), block_time="200ms", extra_args=flags).start()
    try:
        banner = l1.output()
        accounts = derived(mnemonic, 2)
        for i, a in enumerate(accounts):
            assert f"({i}) {a.address} (7 ETH)" in banner
        node = NodeProcess(str(tmp_path / "node"), extra_args=["--l1", l1.url, "--batch-max-age", "200ms", *flags])
        node.spawn()
        node.wait_listening()
        try:
            w3 = Web3(Web3.HTTPProvider(node.url, request_kwargs={"timeout": 20}))
            assert w3.eth.accounts == [a.address for a in accounts]
            assert w3.eth.get_balance(accounts[0].address) == 7 * ETH
            l1_w3 = Web3(Web3.HTTPProvider(l1.url))
            balance = l1_w3.provider.make_request("l1_getBalance", [accounts[0].address])["result"]
            assert int(balance, 16) == 7 * ETH
            transfer_becomes_safe(w3, accounts)
            # `sequencer derive` reads the L2 genesis from the L1 itself, so it agrees with the node.
            safe = w3.eth.get_block("safe")
            p = subprocess.run([binary_path(), "derive", "--l1", l1.url, "--address", accounts[1].address],
                               capture_output=True, text=True, timeout=60)
            assert p.returncode == 0, p.stderr
            out = json.loads(p.stdout)
            assert out["l2BlockNumber"] >= safe["number"]
            if out["l2BlockNumber"] == safe["number"]:
                assert out["stateRoot"] == safe["stateRoot"].to_0x_hex(), (out, safe)
            assert int(out["balances"][accounts[1].address]) == w3.eth.get_balance(accounts[1].address, block_identifier=out["l2BlockNumber"])
        finally:
            node.stop()
    finally:
        l1.stop()
