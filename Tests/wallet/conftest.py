"""Fixtures of the wallet suites: the real `sequencer` binary on a free port
with a temporary data directory, a web3.py client, and accounts with known
balances."""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from eth_account import Account  # noqa: E402
from web3 import Web3  # noqa: E402

from nodeproc import NodeProcess, dev_accounts  # noqa: E402
from walletlib import filled, send  # noqa: E402


@pytest.fixture(scope="session")
def node(tmp_path_factory):
    proc = NodeProcess(str(tmp_path_factory.mktemp("sequencer-data")), block_time="100ms").start()
    yield proc
    crashed = not proc.alive()
    proc.stop()
    if crashed:
        pytest.fail(f"the node exited during the suite with {proc.proc.returncode}:\n{proc.output()[-4000:]}")


@pytest.fixture(scope="session")
def w3(node):
    client = Web3(Web3.HTTPProvider(node.url, request_kwargs={"timeout": 20}))
    assert client.is_connected()
    return client


@pytest.fixture(scope="session")
def dev():
    return dev_accounts()


class AccountPool:
    """Hands each test accounts no other test has touched: dev accounts 1…9
    first, then new random accounts funded from dev account 0."""

    def __init__(self, w3, dev):
        self.w3 = w3
        self.funder = dev[0]
        self.unused = list(dev[1:])

    def fresh(self, funding=100 * 10**18):
        if self.unused:
            return self.unused.pop(0)
        acct = Account.create()
        tx = filled(self.w3, self.funder, acct.address, funding)
        receipt = self.w3.eth.wait_for_transaction_receipt(send(self.w3, self.funder, tx), timeout=20)
        assert receipt["status"] == 1
        assert self.w3.eth.get_balance(acct.address) == funding
        return acct


@pytest.fixture(scope="session")
def pool(w3, dev):
    return AccountPool(w3, dev)


@pytest.fixture
def fresh(pool):
    """A funded account no other test has used (call it for each one needed)."""
    return pool.fresh
