"""Child-directed language counts 'you' as the child only when the record is written to the child."""

from __future__ import annotations

from analyser import analyse

TO_CHILD = """Dear Aisha,

Thank you for coming to your review on 3 March 2025. You told me you are happy at school and you want to
see your brother more. I will ask Jo to set up a visit with him by 20 March, because you asked for it.
You are doing really well with your reading. Your foster carers, Sam and Lee, will take you to the dentist.

Best wishes,
Ruth Hale
Independent Reviewing Officer
"""

TO_PARENT = """Dear Ms Patel,

Thank you for coming to Aisha's review on 3 March 2025. Aisha told me she is happy at school and she wants
to see her brother more. I will ask Jo to set up a visit with him by 20 March, because Aisha asked for it.
You agreed to ring her school by 10 March. Her foster carers, Sam and Lee, will take her to the dentist.

Best wishes,
Ruth Hale
Independent Reviewing Officer
"""


def test_letter_to_the_child_scores_high() -> None:
    r = analyse(TO_CHILD)
    assert r.meta.addressee is not None and r.meta.addressee.role == "child"
    assert r.dimensions["child_directed_language"].score > 70


def test_letter_to_a_parent_is_not_written_to_the_child() -> None:
    r = analyse(TO_PARENT)
    assert r.meta.addressee is not None and r.meta.addressee.role == "parent"
    assert r.dimensions["child_directed_language"].score < 50
    found = [f for f in r.findings if f.rule == "child_directed_language.written_to_other"]
    assert len(found) == 1
    f = found[0]
    assert f.excerpt == "Ms Patel" and f.data == {"addressee": "parent"}
    assert "written to Ms Patel" in f.message and "Aisha" in f.message
    # A review letter to a parent is review minutes, not a care plan.
    assert r.doc_type == "review_minutes"


def test_a_service_named_by_an_acronym_is_not_a_reference_to_the_child() -> None:
    # "LAC nurse" is the looked-after children's nurse; "LAC" alone still writes about the child.
    from analyser import analyse

    text = ("CARE PLAN\nName: Amira Khan\nDate: 04/03/2025\n\nHealth\nThe LAC nurse will see you on 3 April 2025 "
            "and the CLA health team will send your mum the letter. The LAC is settled.\n")
    assert analyse(text).dimensions["child_directed_language"].metrics["about_child_references"] == 1


def _jargon_terms(text: str) -> list[str | None]:
    return [f.term for f in analyse(text).findings if f.rule == "child_directed_language.jargon"]


def test_a_services_name_a_title_line_and_an_explained_term_are_not_jargon() -> None:
    text = ("Millbourne Leaving Care Service\nPathway Plan\nName: Chantelle Odiase\nDate: 01/03/2026\n\n"
            "Hi Chantelle. This is your pathway plan, your plan for the future. I will help you with your work "
            "placement by 20 March 2026. We will talk about leaving care at your review.\n\n"
            "Declan Morrow\nPersonal Adviser, Millbourne Leaving Care Service\n")
    assert _jargon_terms(text) == ["leaving care"]


def test_a_term_explained_just_before_is_not_jargon() -> None:
    text = ("# Your plan for the future (pathway plan)\n\nName: Leah Okonjo\nDate: 12/08/2026\n\nDear Leah,\n\n"
            "I will help you move into your room at Fenton Hall by 20 September 2026.\n")
    assert "pathway plan" not in [(t or "").lower() for t in _jargon_terms(text)]
