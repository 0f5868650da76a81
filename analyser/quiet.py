"""Keep record text out of stderr and logs: third-party warnings and log lines lose their message text.

pypdf (and others) put document content into warning and log messages: a ``PdfReadError`` quoting
"Amira Khan DOB 11/02/2012" would reach the service log or ``caseqa score`` stderr. :func:`install`
(called once by the CLI, each batch worker and the service) replaces their messages with the
warning's category and where it came from. caseqa's own loggers (``caseqa.*``, which never log text)
are left alone.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

_THIRD_PARTY_LOGGERS = ("pypdf", "PyPDF2", "docx", "pdfminer", "spacy", "textstat", "thinc")
_installed = False


def _withhold(record: logging.LogRecord) -> None:
    record.msg = f"{record.name} {record.levelname.lower()} at {Path(record.pathname).name}:{record.lineno} " \
                 "(message withheld: it may quote record text)"
    record.args = ()
    record.exc_info = None
    record.exc_text = None


def _show(message, category, filename, lineno, file=None, line=None) -> None:  # type: ignore[no-untyped-def]
    logging.getLogger("caseqa.warnings").warning(
        "%s at %s:%s (message withheld: it may quote record text)", category.__name__, Path(filename).name, lineno
    )


def install() -> None:
    """Install the filters (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    warnings.showwarning = _show
    # A record factory sees every logger's records (a filter on "pypdf" would miss "pypdf._reader").
    make = logging.getLogRecordFactory()

    def factory(*args, **kwargs) -> logging.LogRecord:  # type: ignore[no-untyped-def]
        record = make(*args, **kwargs)
        if record.name.split(".", 1)[0] in _THIRD_PARTY_LOGGERS:
            _withhold(record)
        return record

    logging.setLogRecordFactory(factory)
