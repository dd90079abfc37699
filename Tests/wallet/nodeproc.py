"""Starting and stopping the real `sequencer` binary for the wallet suites.

The binary comes from $SEQUENCER_BIN (default `.build/debug/sequencer`
relative to the repository root). Each start asks for port 0 (or a given
port), sends stdout/stderr to a file in the data directory, and waits for
the `Listening on HOST:PORT` line, which gives the bound port.
"""

import os
import re
import signal
import subprocess
import time

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LISTENING = re.compile(r"^Listening on (\S+):(\d+)\s*$", re.M)

MNEMONIC = "test test test test test test test test test test test junk"
CHAIN_ID = 31337
WITHDRAWAL_ADDRESS = "0x4200000000000000000000000000000000000016"
DEV_BALANCE = 10_000 * 10**18


def binary_path():
    path = os.environ.get("SEQUENCER_BIN", ".build/debug/sequencer")
    if not os.path.isabs(path):
        path = os.path.join(REPO_ROOT, path)
    return path


def dev_accounts():
    """The ten dev accounts of the "test test … junk" mnemonic, derived by eth-account."""
    from eth_account import Account

    Account.enable_unaudited_hdwallet_features()
    return [Account.from_mnemonic(MNEMONIC, account_path=f"m/44'/60'/0'/0/{i}") for i in range(10)]


class NodeProcess:
    """One run of the binary on `data_dir`; `start()` again after `kill()` restarts on the same directory."""

    def __init__(self, data_dir, block_time="100ms", port=0, extra_args=()):
        self.data_dir = data_dir
        self.block_time = block_time
        self.requested_port = port
        self.extra_args = list(extra_args)
        self.proc = None
        self.port = None
        self.runs = 0
        self.log_path = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout=30.0):
        self.spawn()
        return self.wait_listening(timeout)

    def spawn(self):
        """Starts the process without waiting for it to listen."""
        binary = binary_path()
        if not os.path.exists(binary):
            raise RuntimeError(f"sequencer binary not found at {binary}: run `swift build --product sequencer` or set SEQUENCER_BIN")
        os.makedirs(self.data_dir, exist_ok=True)
        self.runs += 1
        self.log_path = os.path.join(self.data_dir, f"node-{self.runs}.log")
        log = open(self.log_path, "wb")
        args = [binary, "--port", str(self.requested_port), "--block-time", self.block_time,
                "--data-dir", self.data_dir, *self.extra_args]
        self.proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        return self

    def wait_listening(self, timeout=30.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with open(self.log_path, "r", errors="replace") as f:
                m = LISTENING.search(f.read())
            if m:
                self.port = int(m.group(2))
                return self
            if self.proc.poll() is not None:
                raise RuntimeError(f"sequencer exited with {self.proc.returncode} before listening:\n{self.output()}")
            time.sleep(0.02)
        self.kill()
        raise RuntimeError(f"sequencer did not print `Listening on` within {timeout}s:\n{self.output()}")

    def output(self):
        if not self.log_path or not os.path.exists(self.log_path):
            return ""
        with open(self.log_path, "r", errors="replace") as f:
            return f.read()

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill(self):
        """SIGKILL: no shutdown, no final flush."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        if self.proc is not None:
            self.proc.wait()

    def stop(self, timeout=10.0):
        """SIGTERM and wait for a clean exit (SIGKILL if it hangs)."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None
