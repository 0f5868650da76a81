"""Record facts read from the text, and given values winning over them."""

from __future__ import annotations

from datetime import date

import pytest

from analyser import analyse, analyse_file
from analyser.facts import read_facts


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


@pytest.mark.parametrize(
    ("head", "name", "age"),
    [
        ("Young person: Tyler Briggs   DOB: 14/06/2010\nDate of review: 12/11/2024\n", "Tyler", 14),
        ("Child's name | Tyler Briggs\nDate of birth | 14/06/2010\nDate of review | 12/11/2024\n", "Tyler", 14),
        ("Name | Tyler Briggs | DOB | 14/06/2010\nReview date | 12/11/2024\n", "Tyler", 14),
        ("| Name | Tyler Briggs |\n| Age | 14 |\n| Date of review | 12/11/2024 |\n", "Tyler", 14),
        ("**Child:** Tyler Briggs (14)\n**Date:** 12/11/2024\n", "Tyler", 14),
        ("Name: BRIGGS, Tyler\nDOB: 14.06.2010\nDate: 12/11/2024\n", "Tyler", 14),
        ("CLA review minutes - Tyler Briggs\nDate: 12/11/2024\n", "Tyler", None),
        ("Child In Care Review\nTyler Briggs, age 14\nDate: 12/11/2024\n", "Tyler", 14),
        ("Care Plan\nBRIGGS, Tyler (DOB 14.06.2010)   Plan date: 12/11/2024\n", "Tyler", 14),
        ("Care Plan\nChild: Ava Briggs\nAge: 8 months\nDate: 12/11/2024\n", "Ava", 0),
    ],
)
def test_name_and_age_from_the_many_shapes_of_a_record_header(head: str, name: str, age: int | None) -> None:
    facts = read_facts(head + "\nYou told me you like your school.\n")
    assert facts.child_name == name
    assert facts.child_age == age
    assert facts.date == date(2024, 11, 12)


def test_a_name_field_in_the_signature_block_is_not_the_child() -> None:
    text = "My care plan\nRiley Dixon (DOB 11/02/2010)   Date: 19/12/2023\n\n" + "You like football. " * 40
    text += "\nSigned\nName: Mo Ramsey, Personal Adviser\n"
    assert read_facts(text).child_name == "Riley"


def test_age_since_is_not_the_childs_age() -> None:
    text = "Pathway plan\nDate: 15/04/2024\nEllis has lived with Annie since age 12 and is doing well.\n"
    assert read_facts(text).child_age is None


def test_next_review_ignores_other_meetings_and_the_next_line_after_a_sentence() -> None:
    text = (
        "Review minutes\nDate of review: 30/05/2023\n"
        "The social worker will hold his next PEP meeting by 22 August.\n"
        "Carers to take him to toddler group by the next review.\n"
        "5. SW to review family time by 06.02.2024.\n"
        "Date of next review: 30/11/2023\n"
    )
    assert read_facts(text).next_review == date(2023, 11, 30)


def test_a_plans_review_date_field_is_its_next_review_not_its_date() -> None:
    text = "Care plan\nChild:\tFarah Rahimi\nReview date:\t27.02.2025\nPlan date:\t27/8/2024\n\nYou live with Jo.\n"
    facts = read_facts(text)
    assert facts.date == date(2024, 8, 27)
    assert facts.next_review == date(2025, 2, 27)
    minutes = read_facts("Review minutes\nReview date: 27/08/2024\nPresent: Farah, SW\n")
    assert minutes.date == date(2024, 8, 27)
    assert minutes.next_review is None


def test_the_title_decides_the_type_when_a_review_talks_about_the_pathway_plan() -> None:
    body = (
        "**Present:** Kofi; Dan (IRO); Chloe Marsh (social worker); Sam (personal adviser)\n\n"
        "Kofi's pathway plan was updated. His personal adviser will help with his tenancy, "
        "his bursary and his national insurance number. The pathway plan covers staying put.\n"
    )
    assert read_facts("## Northwick Borough Council\n### Review of Kofi's care plan\n\n" + body).doc_type == "review_minutes"
    assert read_facts("# Ravensworth Council – Children in Care Review\n\n" + body).doc_type == "review_minutes"
    assert read_facts("PATHWAY PLAN (REVIEW) - KOFI ADJEI\n\n" + body).doc_type == "pathway_plan"


def test_next_review_needs_a_day_and_a_care_plans_first_review_counts() -> None:
    assert read_facts("Review minutes\nDate: 12/12/2024\nYour next review will be in June 2025.\n").next_review is None
    text = "Care plan\nDate: 01/10/2024\n\n10. Review\nFirst CLA review to be held on 21/10/2024.\n"
    assert read_facts(text).next_review == date(2024, 10, 21)


@pytest.mark.parametrize("text,expected", [
    # The title names the type: the health assessment and PEP it mentions near the top do not make it "other".
    ("CHILD IN CARE - CARE PLAN\nName: Amy Lee\nHealth assessment: due 3 March 2025.\n"
     "Personal education plan: reviewed in January.\nAmy lives with her carers.\n", "care_plan"),
    # A heading in the opening lines decides before the content cues.
    ("Ashby Council\nChildren's Services\nDate: 02/03/2025\nLAC REVIEW\nHealth assessment done.\n"
     "Amy is well and settled with her carers.\n", "review_minutes"),
    ("Ashby Council\nChildren's Services\nPATHWAY PLAN REVIEW\nAmy is well and settled.\n", "pathway_plan"),
    # A title naming a record that is not a plan still wins.
    ("Statutory visit record\nI visited Amy at home and talked about her care plan.\n", "other"),
])
def test_the_title_line_and_headings_decide_the_type_before_content_cues(text, expected) -> None:
    assert read_facts(text).doc_type == expected


def test_facts_say_whether_the_type_was_given() -> None:
    assert read_facts("CARE PLAN\nYou live with Sam.").doc_type_given is False
    assert read_facts("CARE PLAN\nYou live with Sam.", doc_type="other").doc_type_given is True


@pytest.mark.parametrize("text,expected", [
    # A review letter is dated after the meeting; the record is the meeting's.
    ("Ravensholm Council\nIRO Service\n\n9 March 2026\n\nDear Mr Okafor,\n\n"
     "Re: Amara Okafor (age 9) - Child Looked After Review held on 3 March 2026\n\nI am writing to you.\n", date(2026, 3, 3)),
    ("**Penmoor Council - IROs**\n\n26 January 2026\n\nDear Sue and Martin,\n\n## Ellie's review, 20 January 2026\n\n"
     "Thank you both for hosting Ellie's review.\n", date(2026, 1, 20)),
    ("Calder Council\n16 February 2026\nDear Jayden,\nI am Rachel, your IRO. This letter is about your review "
     "meeting on 10 February 2026 at Denise's house.\n", date(2026, 2, 10)),
    # The last review's date is not this record's.
    ("Calder Council\n16 February 2026\nDear Jayden,\nProgress since the review on 2 June 2025\nYou started swimming.\n",
     date(2026, 2, 16)),
])
def test_a_review_letter_is_dated_by_the_meeting_it_records(text, expected) -> None:
    assert read_facts(text, doc_type="review_minutes").date == expected


def test_child_name_from_cyp_and_your_name_fields_and_not_from_a_letter_to_two_carers() -> None:
    assert read_facts("# CLA Care Plan\n\n**CYP:** Kacper Nowak | **DOB:** 11/08/2011\n").child_name == "Kacper"
    assert read_facts("Your Pathway Plan\nYour name | Precious Adebayo\nAge | 17\n").child_name == "Precious"
    carers = "IRO letter\n26 January 2026\n\nDear Sue and Martin,\n\n## Ellie's review, 20 January 2026\n\nEllie is well.\n"
    assert read_facts(carers).child_name == "Ellie"


_MEETING_LETTER = (
    "Westmoor Council - Children and Families Service\n\n26 November 2026\n\nMr Femi Adebayo\n3 Canal Street\n\n"
    "Dear Mr Adebayo,\n\n# Tobi's care plan meeting on Tuesday {held}\n\n"
    "Thank you for coming to Tobi's care plan meeting on Tuesday. This letter sets out what we talked about "
    "and what was agreed.\n\n## Family time\n\nThe care plan is for Tobi to stay with his foster carers. "
    "I will arrange family time at the library by 9 January 2027. Tobi's care plan will be reviewed in May.\n"
)


@pytest.mark.parametrize("held,expected", [("24 November 2026", date(2026, 11, 24)), ("24 November", date(2026, 11, 24))])
def test_a_letter_to_a_parent_after_a_meeting_that_is_not_a_review_is_other_and_dated_by_the_meeting(held, expected) -> None:
    report = analyse(_MEETING_LETTER.format(held=held))
    assert report.doc_type == "other"
    assert report.meta.date == expected.isoformat()


def test_a_letter_that_sets_the_plan_out_stays_a_care_plan_and_given_values_win() -> None:
    plan_letter = _MEETING_LETTER.format(held="24 November 2026").replace(
        "This letter sets out what we talked about and what was agreed.", "This letter sets out his care plan.")
    assert analyse(plan_letter).doc_type == "care_plan"
    given = analyse(_MEETING_LETTER.format(held="24 November 2026"), doc_type="care_plan", date="2026-11-26")
    assert (given.doc_type, given.meta.date) == ("care_plan", "2026-11-26")
    assert analyse(_MEETING_LETTER.format(held="24 November 2026"), date="2026-11-26").meta.date == "2026-11-26"


def test_a_review_letter_to_carers_is_review_minutes_dated_by_the_review_even_with_few_plan_words() -> None:
    letter = ("Calderwick County Council\nIndependent Reviewing Service\n\n23 October 2026\n\nMr and Mrs Pennington\n"
              "14 Orchard Rise\n\nDear Mr and Mrs Pennington,\n\nIsla's review on 20 October 2026\n\nThank you both for "
              "having us in your home for Isla's review. Priti will chase the referral by 6 November 2026.\n")
    report = analyse(letter)
    assert (report.doc_type, report.meta.date) == ("review_minutes", "2026-10-20")


@pytest.mark.parametrize("text,expected", [
    # A letter names the visit or review it records in its subject line or its first sentence.
    ("Castlebridge City Council\nFostering Service\n22 April 2027\nJoanne and Phil Talbot\nSupervision visit on 20 April 2027\n"
     "Dear Joanne and Phil,\nThank you both for your time on Tuesday. Ellie has now been with you for seven months.\n",
     "2027-04-20"),
    ("Wexcombe County Council\nThursday 4 March 2027\n\nDear Kai,\n\nThank you for coming to your review yesterday, "
     "Wednesday 3 March 2027. I am writing to tell you what we decided.\n", "2027-03-03"),
    # "meeting me" is no meeting's name; the review's own title already dates it.
    ("Leo's review – 21 January 2025\nDear Leo,\nThank you for meeting me on 14 January. This letter says what we "
     "decided at your review.\n", "2025-01-21"),
])
def test_a_letter_is_dated_by_the_meeting_or_visit_its_opening_names(text, expected) -> None:
    assert analyse(text).meta.date == expected


def test_the_childs_initials_come_from_the_full_name_the_record_gives() -> None:
    from analyser.facts import child_initials

    assert child_initials("**Young person:** Leon Marsh, age 15\n- LM: Leon Marsh\n", "Leon") == ("LM",)
    assert child_initials("Care plan for Leon\n", "Leon") == ()
    assert read_facts("**Young person:** Leon Marsh, age 15\n").child_initials == ("LM",)


def test_a_visit_letter_is_dated_by_the_visit_its_first_sentence_names() -> None:
    text = ("# A letter for Leo\n\n**From:** Hannah Quill, your social worker\n**Written:** 4 December 2026\n\nDear Leo,\n\n"
            "I came to see you on Thursday 3 December at Pat and Graham's house, after school. Thank you for showing me "
            "your Lego.\n")
    assert analyse(text).meta.date == "2026-12-03"


def test_a_plan_titled_in_capitals_is_a_plan_and_a_length_of_minutes_is_no_review() -> None:
    plan = ("MY PLAN\n\nThornmoor Borough Council - Children's Services\n\nThis plan is for: Maisie Okoro\nAge: 6\n"
            "My next review meeting: 15 June 2027\n\nHello Maisie,\n\nThis is your plan. I will visit you every four weeks.\n")
    assert read_facts(plan).doc_type == "care_plan"
    letter = ("Wendlebury County Council\n8 February 2027\nDear Pat and Derek,\nOur visit on 4 February\nThank you for "
              "making time for me. I saw Tyler on his own in his bedroom for about twenty minutes.\n")
    assert read_facts(letter).doc_type == "other"


def test_a_plan_titled_to_the_child_by_name_gives_the_childs_name() -> None:
    assert read_facts("Your care plan, Tia\nWrenmoor County Council\nWritten by Hannah Okafor, your social worker\n").child_name == "Tia"


def test_a_letter_redated_by_its_meeting_reads_the_childs_age_on_the_meetings_day() -> None:
    letter = ("Calderwick County Council\n\n23 October 2026\n\nDear Mr and Mrs Pennington,\n\nIsla's review on 20 October 2026\n"
              "Isla (DOB 22/10/2016)\n\nThank you both for having us for Isla's review. Priti will chase the referral by "
              "6 November 2026.\n")
    report = analyse(letter)
    assert (report.meta.date, report.meta.child_age) == ("2026-10-20", 9)
    assert analyse(letter, child_age=10).meta.child_age == 10  # a given age stays
