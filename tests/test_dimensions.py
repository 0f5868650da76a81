"""Child-directed language, readability, plan detail, overall grade: behaviour by behaviour."""

from __future__ import annotations

from analyser import analyse, analyse_file

TO_CHILD = (
    "Dear Amira, I am Jo, your social worker. You told me you love drawing and football. "
    "You live with Sarah and Tom because your mum cannot keep you safe right now. "
    "Sarah will take you to the dentist by 15 April 2024."
)
ABOUT_CHILD = (
    "The child is placed with foster carers. The young person presents with challenging behaviour "
    "and failed to engage with CAMHS. He/she is to attend the dentist asap."
)


def test_record_written_to_the_child_scores_higher_than_one_about_them() -> None:
    to_child = analyse(TO_CHILD, date="2024-03-04").dimensions["child_directed_language"]
    about = analyse(ABOUT_CHILD, date="2024-03-04").dimensions["child_directed_language"]
    assert to_child.score > about.score + 30
    assert to_child.metrics["direct_share"] > 0.8


def test_references_about_the_child_are_flagged_with_evidence() -> None:
    report = analyse(ABOUT_CHILD, date="2024-03-04")
    about = [f for f in report.findings if f.code == "written_about_child"]
    assert {f.excerpt.lower() for f in about} >= {"the child", "the young person"}
    for f in about:
        assert ABOUT_CHILD[f.start : f.end] == f.excerpt


def test_jargon_is_flagged_with_the_preferred_words() -> None:
    report = analyse("Your placement is going well. Sibling contact happens at the contact centre.")
    jargon = {f.excerpt.lower(): f.suggestion for f in report.findings if f.code == "jargon"}
    assert "placement" in jargon and "home" in (jargon["placement"] or "")
    assert "contact centre" in jargon and "family centre" in (jargon["contact centre"] or "")


def test_contact_as_a_verb_is_not_jargon() -> None:
    report = analyse("I will contact your school by Friday 12 July 2024.", date="2024-07-01")
    assert not [f for f in report.findings if f.code == "jargon"]


def test_blaming_words_are_flagged() -> None:
    report = analyse("Kai failed to engage with the assessment and was aggressive.")
    codes = [(f.code, f.excerpt) for f in report.findings if f.code == "blaming_language"]
    assert ("blaming_language", "failed to engage") in codes


def test_acronym_spelled_out_once_is_not_flagged_but_a_bare_one_is() -> None:
    report = analyse("Your Independent Reviewing Officer (IRO) is Ms Okafor. The IRO will visit. Your PEP is ready.")
    flagged = {f.excerpt for f in report.findings if f.code == "unexplained_acronym"}
    assert "PEP" in flagged and "IRO" not in flagged


def test_long_sentences_are_flagged_and_lower_readability() -> None:
    long = ("It was agreed by the professionals present at the meeting that, notwithstanding the ongoing concerns "
            "regarding the consistency of the arrangements, the current plan should continue pending the outcome "
            "of the assessment which is being undertaken by the allocated worker in conjunction with partners.")
    short = "You live with Sam. You like your school. Your teacher is Mr Lee. He says you read well."
    r_long = analyse(long).dimensions["readability"]
    r_short = analyse(short).dimensions["readability"]
    assert r_short.score > r_long.score
    assert any(f.code == "long_sentence" for f in analyse(long).findings)


def test_bullets_are_not_glued_into_one_sentence_for_readability() -> None:
    text = "\n".join(f"- Sam will read with you on day {i} of the week" for i in range(1, 8))
    metrics = analyse(text).dimensions["readability"].metrics
    assert metrics["max_sentence_words"] < 15


def test_target_reading_age_follows_the_child_with_eleven_for_young_children() -> None:
    assert analyse("You are safe.", child_age=15).dimensions["readability"].metrics["target_reading_age"] == 15
    assert analyse("You are safe.", child_age=1).dimensions["readability"].metrics["target_reading_age"] == 11


def test_missing_sections_are_reported_for_the_document_type(examples) -> None:
    report = analyse_file(examples / "care_plan_amira_before.txt")
    missing = [f.message for f in report.findings if f.code == "missing_section"]
    assert any("contingency" in m or "views" in m or "wishes" in m for m in missing) or report.dimensions["plan_detail"].score < 60


def test_filler_sections_are_thin(examples) -> None:
    report = analyse_file(examples / "care_plan_amira_before.txt")
    assert any(f.code in ("filler", "thin_section") for f in report.findings)


def test_better_version_of_a_care_plan_scores_higher_on_every_dimension(examples) -> None:
    good = analyse_file(examples / "care_plan_amira.txt")
    poor = analyse_file(examples / "care_plan_amira_before.txt")
    for d in good.dimensions:
        assert good.dimensions[d].score > poor.dimensions[d].score, d
    assert good.overall.score > poor.overall.score


def test_grade_follows_the_rubric_thresholds(examples) -> None:
    good = analyse_file(examples / "care_plan_amira.txt")
    poor = analyse_file(examples / "care_plan_amira_before.txt")
    assert good.overall.grade in ("outstanding", "good")
    assert poor.overall.grade in ("requires_improvement", "inadequate")
