"""kill -9 of the sequencer, of the L1, and of both, while batches are posted
and forced items are queued (a small run of `scripts/crash-test-l1`): every
pre-confirmation and every forced item holds, and `sequencer derive` equals
the sequencer's safe state."""

import os
import random

import crashloop_l1


def test_kills_of_the_l1_and_the_sequencer_keep_every_promise(tmp_path):
    lines = []

    def report(line):
        lines.append(line)
        print(line)

    seed = int(os.environ.get("CRASH_SEED", random.randrange(1 << 30)))
    schedule = [("sequencer", "after batch"), ("l1", "after enqueue"), ("both", "random"), ("sequencer", "after enqueue")]
    summary = crashloop_l1.run(4, str(tmp_path / "data"), seed=seed, senders=2, forcers=2, min_up=0.3, max_up=0.8,
                               schedule=schedule, report=report)
    assert not crashloop_l1.failures(summary), "\n".join(lines)
    assert summary["kills"] == 4
    assert summary["kinds"] == {"sequencer": 2, "l1": 1, "both": 1}
    assert summary["promised_preconfirmed"] > 0 and summary["forced"] > 0, summary
    assert summary["forced_included"] == summary["forced"]
    assert summary["batches"] > 0 and summary["derived_block"] == summary["blocks"]
