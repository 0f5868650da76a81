"""Record facts read from the text, and given values winning over them."""

from __future__ import annotations

from analyser import analyse, analyse_file


def test_facts_are_read_from_header_fields(examples) -> None:
    r = analyse_file(examples / "review_minutes_josh.txt")
    assert r.doc_type == "review_minutes"
    assert r.meta.child_name == "Josh"
    assert r.meta.date == "2024-06-10"
    assert r.meta.next_review == "2024-12-10"


def test_dear_greeting_gives_the_childs_name() -> None:
    assert analyse("Dear Amira,\nThis is your care plan.").meta.child_name == "Amira"


def test_document_types_are_recognised(examples) -> None:
    assert analyse_file(examples / "care_plan_amira.txt").doc_type == "care_plan"
    assert analyse_file(examples / "pathway_plan_leah.md").doc_type == "pathway_plan"
    assert analyse("Visit note. I saw Sam at home today.").doc_type == "other"


def test_given_values_win_over_the_text(examples) -> None:
    r = analyse_file(examples / "review_minutes_josh.txt", child_name="Joshua", date="2024-06-11", doc_type="care_plan", child_age=13)
    assert (r.meta.child_name, r.meta.date, r.doc_type, r.meta.child_age) == ("Joshua", "2024-06-11", "care_plan", 13)


def test_age_is_worked_out_from_date_of_birth(examples) -> None:
    r = analyse_file(examples / "care_plan_amira_before.txt")
    assert r.meta.child_age == 9
