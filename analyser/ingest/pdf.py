"""PDF -> Document via pypdf's plain text extraction, then the plain-text block rules.

Extracted text: each page's ``extract_text(extraction_mode="plain")``, pages joined with "\\n",
``\\r\\n``/``\\r`` turned into ``\\n``. Blocks come from :func:`analyser.ingest.text.split_blocks`.
"""

from __future__ import annotations

import io

from analyser.document import Document

from .errors import IngestError
from .text import normalise_newlines, split_blocks, validate

# A broken page is skipped rather than failing the whole file, but a document of broken pages is
# corrupt. Pages beyond this are ignored (records are tens of pages; this bounds the work).
MAX_PAGES = 2000


def load_pdf(data: bytes, source: str) -> Document:
    """Extract a PDF (bytes). Never lets a pypdf exception escape: everything becomes IngestError."""
    if b"%PDF-" not in data[:1024]:
        raise IngestError(source, "not a PDF or it is corrupt")
    # pypdf logs recoverable damage as warnings (object numbers and offsets, never page text).
    return _load(data, source)


def _load(data: bytes, source: str) -> Document:
    try:
        from pypdf import PdfReader
        from pypdf.errors import FileNotDecryptedError
    except ImportError:  # pragma: no cover - pypdf is a hard dependency
        raise IngestError(source, "PDF support is not installed") from None

    try:
        reader = PdfReader(io.BytesIO(data))  # tries the empty password itself
        encrypted = reader.is_encrypted
    except Exception:
        # Unsupported encryption (e.g. AES without a crypto library) fails while opening.
        if b"/Encrypt" in data:
            raise IngestError(source, "PDF is encrypted") from None
        raise IngestError(source, "not a PDF or it is corrupt") from None
    if encrypted:
        try:
            ok = reader.decrypt("")  # many "protected" PDFs only restrict printing/copying
        except Exception:
            ok = 0
        if not ok:
            raise IngestError(source, "PDF is encrypted")

    try:
        pages = reader.pages
        count = len(pages)
    except FileNotDecryptedError:
        raise IngestError(source, "PDF is encrypted") from None
    except Exception:
        raise IngestError(source, "not a PDF or it is corrupt") from None

    texts: list[str] = []
    failed = 0
    for i in range(min(count, MAX_PAGES)):
        try:
            texts.append(pages[i].extract_text(extraction_mode="plain") or "")
        except FileNotDecryptedError:
            raise IngestError(source, "PDF is encrypted") from None
        except Exception:
            failed += 1
    if failed and failed == min(count, MAX_PAGES):
        raise IngestError(source, "not a PDF or it is corrupt")

    # Broken font maps can extract as NUL characters: not text, and PostgreSQL cannot store them.
    text = normalise_newlines("\n".join(texts)).replace("\x00", "")
    if not text.strip():
        raise IngestError(source, "no readable text (scanned PDF without a text layer?)")
    doc = Document(text=text, blocks=split_blocks(text), source=source, format="pdf")
    return validate(doc, source, "no readable text (scanned PDF without a text layer?)")
