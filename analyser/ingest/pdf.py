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
_BOMB = "PDF looks malformed (suspicious compression: a page unpacks to more than 75 MB)"


def _over_limit(pages, n: int, limit_error: type[Exception]) -> bool:  # type: ignore[no-untyped-def]
    """Whether a page's content stream inflates past pypdf's output limit. extract_text() swallows
    that error and returns no text, which would read as a scan: checked only when no text came out."""
    for i in range(n):
        try:
            contents = pages[i].get_contents()
            if contents is not None:
                contents.get_data()
        except limit_error:
            return True
        except Exception:  # noqa: BLE001 - other damage is judged by the text, as before
            continue
    return False


def load_pdf(data: bytes, source: str) -> Document:
    """Extract a PDF (bytes). Never lets a pypdf exception escape: everything becomes IngestError."""
    if b"%PDF-" not in data[:1024]:
        raise IngestError(source, "not a PDF or it is corrupt")
    # pypdf logs recoverable damage as warnings (object numbers and offsets, never page text).
    return _load(data, source)


def _load(data: bytes, source: str) -> Document:
    # pypdf missing is our fault, not the file's: the ImportError reaches the caller as an internal error.
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, LimitReachedError

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
            ok = bool(reader.decrypt(""))  # many "protected" PDFs only restrict printing/copying
        except Exception:
            ok = False
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
        except LimitReachedError:
            # pypdf stops inflating a stream past its output limit (75 MB): a compression bomb, not a record.
            raise IngestError(source, _BOMB) from None
        except MemoryError:
            raise IngestError(source, "PDF is too large to read in the memory available") from None
        except ImportError:
            raise
        except Exception:
            failed += 1
    if failed and failed == min(count, MAX_PAGES):
        raise IngestError(source, "not a PDF or it is corrupt")

    # Broken font maps can extract as NUL characters: not text, and PostgreSQL cannot store them.
    text = normalise_newlines("\n".join(texts)).replace("\x00", "")
    if not text.strip():
        if _over_limit(pages, min(count, MAX_PAGES), LimitReachedError):
            raise IngestError(source, _BOMB)
        raise IngestError(source, "no readable text (scanned PDF without a text layer?)")
    doc = Document(text=text, blocks=split_blocks(text), source=source, format="pdf")
    return validate(doc, source, "no readable text (scanned PDF without a text layer?)")
