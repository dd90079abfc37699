"""The narrated demonstrations (`sequencer demo …`) run to the end, exit 0,
and print the steps that prove the forced-inclusion guarantee happened."""
import os
import subprocess

BIN = os.environ.get("SEQUENCER_BIN", ".build/debug/sequencer")


def run_demo(*args):
    p = subprocess.run([BIN, "demo", *args], capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout + p.stderr


def test_censorship_demo_honest_queue():
    rc, out = run_demo("censorship")
    assert rc == 0, out
    assert "answers with the hash" in out
    assert "still not included" in out
    assert "bound by the queue whatever its policy, included the transfer" in out
    assert "Claimed on L1 with a Merkle proof" in out
    assert "A second claim is refused" in out
    assert "Demo passed: every step happened." in out


def test_censorship_demo_malicious_sequencer_is_forced():
    rc, out = run_demo("censorship", "--malicious")
    assert rc == 0, out
    assert "anyone calls forceInclude" in out
    assert "the L1 put the transfer in L2 block" in out
    assert "Claimed on L1 with a Merkle proof" in out


def test_sequencer_down_demo():
    rc, out = run_demo("sequencer-down")
    assert rc == 0, out
    assert "no sequencer was involved" in out
    assert "both executed" in out
    assert "With the sequencer still down, the user claims the withdrawal" in out
    assert "its state root equals the one derived from L1" in out


def test_demo_fails_loudly_when_a_step_cannot_happen():
    rc, out = run_demo("censorship", "--timeout", "0s")
    assert rc == 1, out
    assert "Demo FAILED" in out
