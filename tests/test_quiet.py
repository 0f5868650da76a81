"""Issue 13 item 15: third-party warnings and log lines never carry record text to stderr or logs."""

from __future__ import annotations

import logging
import subprocess
import sys
import warnings

from analyser import quiet


def test_a_pypdf_log_line_and_a_warning_lose_their_text(caplog):
    quiet.install()
    with caplog.at_level(logging.WARNING):
        logging.getLogger("pypdf._reader").warning("PdfReadError: Amira Khan DOB 11/02/2012")
        logging.getLogger("pypdf").warning("object %s near Amira Khan", 7)
        warnings.warn("Zebulonquist DOB 11/02/2012", UserWarning, stacklevel=1)
    text = " ".join(r.getMessage() for r in caplog.records)
    assert "withheld" in text and "Amira" not in text and "Zebulonquist" not in text


def test_the_cli_installs_the_filter_before_any_command():
    code = ("import sys, cli, warnings, logging; sys.argv=['caseqa','--help']\n"
            "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
            "logging.basicConfig(); warnings.warn('Zebulonquist', UserWarning)\n"
            "logging.getLogger('pypdf').warning('Zebulonquist')\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "Zebulonquist" not in r.stderr and "withheld" in r.stderr
