"""caseqa runs in closed networks: no downloads after install."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_NO_NETWORK = """
import socket
class _NoNetwork(socket.socket):
    def connect(self, *a, **k):
        raise OSError("network disabled by test")
    connect_ex = connect
def _no_dns(*a, **k):
    raise OSError("network disabled by test")
socket.socket = _NoNetwork
socket.create_connection = _no_dns
socket.getaddrinfo = _no_dns
"""


def _run_offline(code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    script = _NO_NETWORK + textwrap.dedent(code)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "NLTK_DATA": str(tmp_path / "nltk_data"), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)


def test_analysis_runs_with_the_network_unavailable(tmp_path: Path) -> None:
    result = _run_offline(
        f"""
        from pathlib import Path
        from analyser import analyse_file
        for path in sorted(Path({str(ROOT / "examples")!r}).iterdir()):
            report = analyse_file(path)
            assert report.dimensions["readability"].metrics["words_per_sentence"] > 0
        print("ok")
        """,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("ok")


def test_textstat_reads_the_packaged_cmu_dictionary_not_the_network(tmp_path: Path) -> None:
    result = _run_offline(
        """
        from analyser.syllables import patch_textstat
        patch_textstat()
        import textstat
        score = textstat.flesch_reading_ease("Jo will visit you at home by Friday. You can tell Jo how you feel.")
        assert 60 < score < 120, score
        print("ok")
        """,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert not (tmp_path / "nltk_data").exists()  # nothing was downloaded
