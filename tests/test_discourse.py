"""Record-level discourse facts: author, addressee, service, people, and owners resolved from them."""

from __future__ import annotations

from analyser.discourse import read_discourse
from analyser.ingest import from_text


def _read(text: str, child: str | None = "Aisha", doc_type: str | None = "review_minutes"):  # type: ignore[no-untyped-def]
    return read_discourse(from_text(text, source=None), child_name=child, doc_type=doc_type)


LETTER_TO_CHILD = """Dear Aisha,

This letter is about your review on 3 March 2025. Your mum, Dawn, came too.
I will ring your school by 10 March. Your mum and I will meet on 12 March.
Dawn said she will bring your photos. She will do that by 20 March.

Best wishes,
Sam Okafor
Independent Reviewing Officer
"""

LETTER_TO_PARENT = """Dear Ms Patel,

Thank you for coming to Aisha's review. Aisha told us she is happy at school.
You agreed to ring her school by 10 March about your contact with her.
We at Brackley Children's Services will pay for the bus pass.

Kind regards,
Jo Reed, Social Worker
"""


def test_letter_to_the_child() -> None:
    d = _read(LETTER_TO_CHILD)
    assert d.addressee.role == "child"
    assert d.author is not None and d.author.name == "Sam Okafor" and d.author.role == "IRO"
    at = LETTER_TO_CHILD.index("I will ring")
    assert d.resolve("I", at, at) == "Sam Okafor (IRO)"
    assert d.resolve("you", at, at) == "Aisha"
    joint = LETTER_TO_CHILD.index("Your mum and I")
    assert d.resolve("Your mum and I", joint, joint) == "Dawn (mum) and Sam Okafor (IRO)"


def test_pronoun_resolves_within_its_paragraph_only() -> None:
    d = _read(LETTER_TO_CHILD)
    para = LETTER_TO_CHILD.index("This letter")
    at = LETTER_TO_CHILD.index("She will do")
    assert d.resolve("She", at, para) == "Dawn (mum)"
    # Looking back from a new paragraph finds nobody: never guessed across sections.
    assert d.resolve("She", at, at) is None


def test_letter_to_a_parent() -> None:
    d = _read(LETTER_TO_PARENT)
    assert d.addressee.role == "parent" and d.addressee.name == "Ms Patel"
    assert d.author is not None and d.author.name == "Jo Reed" and d.author.role == "social worker"
    assert d.service == "Brackley Children's Services"
    at = LETTER_TO_PARENT.index("You agreed")
    assert d.resolve("You", at, at) == "Ms Patel"
    assert d.resolve("We", at, at) == "Brackley Children's Services"


def test_letter_to_foster_carers() -> None:
    text = "Dear Mr and Mrs Evans,\n\nThank you for looking after Leo. As his foster carers you will take him to the dentist.\n"
    d = _read(text, child="Leo")
    assert d.addressee.role == "carer" and d.addressee.name == "Mr and Mrs Evans"


def test_third_person_plan_is_addressed_to_nobody() -> None:
    text = "CARE PLAN\nName: Leo Smith\nLeo lives with his foster carers. The social worker will visit Leo every six weeks.\n"
    d = _read(text, child="Leo", doc_type="care_plan")
    assert d.addressee.role == "none"
    assert d.resolve("I", 10, 0) is None  # no author named: the words stay as written
