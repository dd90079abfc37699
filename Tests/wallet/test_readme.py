"""The README's curl tour, word for word: its shell block is extracted,
pointed at a node started for the test, and run with bash; every JSON-RPC
answer must be a result, and the decoded transaction must be the one signed."""
import os
import re
import subprocess
import tempfile

from nodeproc import NodeProcess, REPO_ROOT, binary_path


def tour_block():
    text = open(os.path.join(REPO_ROOT, "README.md")).read()
    section = text.split("## A tour with curl", 1)[1]
    return re.search(r"```sh\n(.*?)```", section, re.S).group(1)


def test_readme_curl_tour_runs_against_the_node():
    script = tour_block()
    assert "curl" in script and "tx sign" in script
    with tempfile.TemporaryDirectory() as d:
        node = NodeProcess(os.path.join(d, "data"), block_time="100ms")
        node.start()
        try:
            runnable = (script.replace("swift run -c release sequencer", binary_path())
                        .replace("localhost:8545", f"127.0.0.1:{node.port}"))
            p = subprocess.run(["bash", "-euo", "pipefail", "-c", runnable], capture_output=True, text=True, timeout=60)
        finally:
            node.kill()
    assert p.returncode == 0, p.stderr
    answers = [l for l in p.stdout.splitlines() if l.startswith('{"jsonrpc"')]
    assert len(answers) == 2, p.stdout
    assert all('"result"' in a and '"error"' not in a for a in answers), answers
    assert '"result":"0x7a69"' in answers[0]
    assert '"signature":"0x' in answers[1] and '"sequencer":"0x' in answers[1]
    decoded = [l for l in p.stdout.splitlines() if l.startswith('{"hash"')]
    assert decoded and '"to":"0x70997970c51812dc3a010c7d01b50e0d17dc79c8"' in decoded[0].lower(), p.stdout
