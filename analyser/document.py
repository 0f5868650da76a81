"""The one in-memory shape of a record: plain text plus typed blocks with character offsets.

Every ingest adapter (txt, md, docx, pdf, csv/jsonl rows) produces a :class:`Document`; every check
reads it. Offsets always index ``Document.text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph", "bullet", "table_row"]

# How table cells are joined into the row's text. Generators and gold annotations rely on it.
CELL_SEPARATOR = " | "
BLOCK_SEPARATOR = "\n"


@dataclass(frozen=True, slots=True)
class Block:
    """A heading, paragraph, bullet item or table row, located in ``Document.text``."""

    kind: BlockKind
    start: int
    end: int
    # For table rows: the (start, end) of each cell's text inside Document.text.
    cells: tuple[tuple[int, int], ...] = ()
    # Heading level (1 = top) where known; 0 otherwise.
    level: int = 0
    # A numbered list item's own number as the record writes it ("4." or "4)" -> 4); 0 otherwise.
    number: int = 0


@dataclass(slots=True)
class Document:
    """Extracted plain text and its blocks, plus where it came from."""

    text: str
    blocks: list[Block] = field(default_factory=list)
    source: str | None = None
    # "txt", "md", "docx", "pdf", "record" (a row of a csv/jsonl export, or a string)
    format: str = "record"

    def block_text(self, block: Block) -> str:
        return self.text[block.start : block.end]

    def cell_texts(self, block: Block) -> list[str]:
        return [self.text[s:e] for s, e in block.cells]

    @property
    def table_rows(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "table_row"]
