"""Turn records (.txt, .md, .docx, .pdf files, upload bytes, or strings) into a :class:`Document`.

Every path ends in the same checks: no text -> ``IngestError("... : file is empty")``, text that
does not look like English -> ``IngestError("...: does not look like English text")``. Nothing here
prints or logs record text; errors carry only the file name (or record id) and a short reason.

The extracted-text conventions that gold offsets rely on are in docs/GOLD_FORMAT.md and in the
docstrings of :mod:`analyser.ingest.docx` and :mod:`analyser.ingest.pdf`.
"""

from __future__ import annotations

import math
import os
import stat
from pathlib import Path, PureWindowsPath

from analyser.document import Document

from .errors import IngestError
from .text import decode_text_bytes, from_text

__all__ = ["DEFAULT_MAX_BYTES", "DEFAULT_MAX_WORDS", "SUPPORTED_SUFFIXES", "IngestError", "check_words", "from_text",
           "load_bytes", "load_file"]

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".pdf")
DEFAULT_MAX_BYTES = 25 * 1024 * 1024
# The service's limit too (CASEQA_MAX_WORDS): the longest real records are tens of thousands of words,
# and analysis costs grow with the words, so a larger file is refused before any language processing.
DEFAULT_MAX_WORDS = 200_000
_MB = 1024 * 1024


def _size(n: int, *, round_up: bool) -> str:
    if n >= _MB:
        mb = n / _MB
        if round_up:
            return f"{math.ceil(mb)} MB"
        return f"{mb:g} MB" if mb == int(mb) else f"{mb:.1f} MB"
    kb = n / 1024
    return f"{math.ceil(kb) if round_up else math.floor(kb)} KB" if n >= 1024 else f"{n} bytes"


def _unsupported(suffix: str) -> str:
    listed = ".docx, .pdf, .txt or .md"  # SUPPORTED_SUFFIXES, most common first
    if not suffix:
        return f"unsupported file type: no file extension (use {listed})"
    if suffix == ".doc":
        return f"unsupported file type .doc (old Word format: save it as .docx, or use {listed})"
    return f"unsupported file type {suffix} (use {listed})"


def check_words(document: Document, max_words: int | None, source: str | None = None) -> Document:
    """``document``, or IngestError when it has more than ``max_words`` whitespace-separated words
    (a cheap upper bound, counted before any language processing). None: no limit."""
    if max_words is not None:
        words = len(document.text.split())
        if words > max_words:
            raise IngestError(source or document.source or "text",
                              f"the document has {words:,} words; the limit is {max_words:,}")
    return document


def load_bytes(data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Extract a record from raw bytes (e.g. a web upload), choosing the reader by ``filename``'s suffix.

    ``Document.source`` and ``IngestError.source`` are the file's base name (any client-side folder
    path in ``filename`` is dropped). Raises :class:`IngestError` for unsupported types, files over
    ``max_bytes``, empty, corrupt, encrypted, binary or non-English input.
    """
    # Browsers on Windows may send "C:\\Users\\...\\plan.docx"; keep only the name.
    name = PureWindowsPath(filename or "").name or "upload"
    suffix = PureWindowsPath(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(name, _unsupported(suffix))
    if len(data) > max_bytes:
        raise IngestError(
            name, f"file is too large ({_size(len(data), round_up=True)}; limit {_size(max_bytes, round_up=False)})"
        )
    if not data:
        raise IngestError(name, "file is empty")
    if suffix == ".docx":
        from .docx import load_docx

        return load_docx(bytes(data), name)
    if suffix == ".pdf":
        from .pdf import load_pdf

        return load_pdf(bytes(data), name)
    text = decode_text_bytes(bytes(data), name)
    return from_text(text, source=name, format=suffix[1:])


def load_file(path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Extract a record from a .txt, .md, .docx or .pdf file.

    ``Document.source`` is the file name. Raises :class:`IngestError` for a missing path, a folder,
    an unsupported suffix, a file over ``max_bytes`` (checked before reading), and everything
    :func:`load_bytes` rejects.
    """
    p = Path(path)
    name = p.name or str(p)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise IngestError(name, "file not found") from None
    except OSError:
        raise IngestError(name, "cannot read the file") from None
    if stat.S_ISDIR(st.st_mode):
        raise IngestError(name, "is a folder, not a file")
    if not stat.S_ISREG(st.st_mode):  # a pipe or device could block or never end
        raise IngestError(name, "is not a regular file")
    suffix = p.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(name, _unsupported(suffix))
    if st.st_size > max_bytes:
        raise IngestError(
            name, f"file is too large ({_size(st.st_size, round_up=True)}; limit {_size(max_bytes, round_up=False)})"
        )
    try:
        # Read at most one byte past the limit: the file may grow between stat() and read().
        with open(p, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except PermissionError:
        raise IngestError(name, "cannot read the file (permission denied)") from None
    except OSError:
        raise IngestError(name, "cannot read the file") from None
    return load_bytes(data, name, max_bytes=max_bytes)
