"""Timebound actions: found where they are, not where they are not, with owner and deadline."""

from __future__ import annotations

import pytest

from analyser import analyse


def actions(text: str, **meta: object) -> list:
    return analyse(text, **meta).actions


def only(text: str, **meta: object):
    found = actions(text, **meta)
    assert len(found) == 1, [a.text for a in found]
    return found[0]


def test_named_owner_and_written_date_make_a_timebound_action() -> None:
    a = only("Ms Smith will book Amira's dental check by 15 March 2024.", date="2024-03-01")
    assert a.owner == "Ms Smith"
    assert a.deadline == "2024-03-15"
    assert a.deadline_text == "by 15 March 2024"
    assert a.timebound and a.problems == []


def test_numeric_deadlines_are_day_first() -> None:
    a = only("Jo will visit you at home by 02/11/2024.", date="2024-10-01")
    assert a.deadline == "2024-11-02"


def test_past_events_with_dates_are_not_actions() -> None:
    text = (
        "A referral to CAMHS was made on 2 May 2024. You had your health check on 3/09/2024. "
        "Your social worker visited you on 12 August."
    )
    assert actions(text, date="2024-10-01") == []


def test_childs_quoted_wishes_are_not_actions() -> None:
    text = 'You told me you would like to see your brother more. You said "I will try harder at school".'
    assert actions(text, date="2024-10-01") == []


def test_bullets_without_full_stops_are_separate_actions() -> None:
    text = (
        "Actions\n"
        "- SW to complete the life story book by 30/06/2024\n"
        "- Carer to take Kai to the dentist within 4 weeks\n"
        "- Mum to attend the parenting course\n"
    )
    found = actions(text, date="2024-05-01")
    assert [a.owner for a in found] == ["SW", "Carer", "Mum"]
    assert found[0].deadline == "2024-06-30"
    assert found[1].deadline == "2024-05-29"
    assert not found[2].timebound and "no_deadline" in found[2].problems


def test_actions_keep_the_records_own_numbers() -> None:
    text = (
        "Decisions\n"
        "1. Josh is settled at school and wants to stay there.\n"
        "2. Kim Reid will take Josh to football trials by 15/06/2024.\n"
        "3. Priya will ring Josh's mum.\n"
        "\n"
        "Jo will visit Josh by 30/06/2024.\n"
    )
    found = actions(text, date="2024-06-10")
    assert [(a.number, a.owner) for a in found] == [(2, "Kim Reid"), (3, "Priya"), (None, "Jo")]


def test_table_rows_are_actions_with_who_and_when_from_their_cells() -> None:
    text = (
        "| Action | Who | By when |\n"
        "|---|---|---|\n"
        "| Apply to the housing register | Priya | 31/10/2024 |\n"
        "| Open a bank account | Leah | TBC |\n"
    )
    found = actions(text, date="2024-10-03")
    assert len(found) == 2
    assert found[0].owner == "Priya" and found[0].deadline == "2024-10-31" and found[0].timebound
    assert found[1].owner == "Leah" and not found[1].timebound and "vague_timescale" in found[1].problems


def test_vague_timescale_is_not_timebound() -> None:
    a = only("The social worker will arrange family time with your sister as soon as possible.", date="2024-10-01")
    assert not a.timebound
    assert "vague_timescale" in a.problems


def test_vague_verb_without_outcome_is_flagged() -> None:
    a = only("Foster carers will continue to monitor Amira's sleep by 1 December 2024.", date="2024-10-01")
    assert "vague_verb" in a.problems


def test_passive_action_without_agent_has_no_owner() -> None:
    a = only("The review health assessment is to be completed by 15 March 2025.", date="2025-01-10")
    assert a.owner is None and "no_owner" in a.problems
    assert a.deadline == "2025-03-15"


def test_passive_action_names_its_agent() -> None:
    a = only("Your PEP will be updated by Mr Jones by 20 May 2024.", date="2024-05-01")
    assert a.owner == "Mr Jones"
    assert a.deadline == "2024-05-20"


def test_deadline_already_past_at_record_date_is_reported() -> None:
    a = only("Dad will complete the parenting assessment by 1 March 2024.", date="2024-05-02")
    assert "deadline_past" in a.problems


def test_working_days_skip_bank_holidays() -> None:
    # 10 working days from Friday 20 December 2024 skip Christmas Day, Boxing Day and New Year's Day.
    a = only("Jo will send you a copy of this plan within 10 working days.", date="2024-12-20")
    assert a.deadline == "2025-01-08"


def test_next_review_deadline_resolves_when_the_record_gives_the_date() -> None:
    text = "Kim will take Josh to football trials before the next review.\nNext review: 10 December 2024"
    a = only(text, date="2024-06-10")
    assert a.deadline == "2024-12-10" and a.timebound


def test_next_review_deadline_without_a_date_is_not_timebound() -> None:
    a = only("Kim will take Josh to football trials before the next review.", date="2024-06-10")
    assert not a.timebound and "next_review_unknown" in a.problems


def test_recommendation_that_clause_is_an_action_with_its_owner() -> None:
    a = only("1. That the social worker completes the sibling assessment by 30 September 2024.", date="2024-06-10")
    assert a.owner == "the social worker"
    assert a.deadline == "2024-09-30"


def test_negated_and_state_sentences_are_not_actions() -> None:
    text = "Dad will not have unsupervised time with you. You will be 16 in May. You will live with Sarah and Tom."
    assert actions(text, date="2024-01-10") == []


@pytest.mark.parametrize("doc_type", ["care_plan", "review_minutes", "pathway_plan"])
def test_plan_without_actions_scores_low_with_an_error(doc_type: str) -> None:
    report = analyse("You live with Sarah and Tom. You like school and football.", doc_type=doc_type)
    dim = report.dimensions["timebound_actions"]
    assert dim.score <= 20
    assert any(f.code == "no_actions" and f.severity == "error" for f in report.findings)


def test_action_column_is_found_after_an_outcome_column_and_progress_rows_are_skipped() -> None:
    text = (
        "| Outcome | Actions | Responsible | Timescale | Progress |\n"
        "|---|---|---|---|---|\n"
        "| Kai is healthy | Book the review health assessment | SW | by 10/01/2025 | |\n"
        "| Kai sees Jade | Arrange family time | SW | by 1/11/2024 | Done 3/11/2024 |\n"
    )
    found = actions(text, date="2024-11-20")
    assert [a.text.split(" | ")[1] for a in found] == ["Book the review health assessment"]
    assert found[0].owner == "SW" and found[0].deadline == "2025-01-10"


def test_a_title_row_above_the_table_header_is_neither_header_nor_action() -> None:
    text = "| Action plan |\n| What | Who | When |\n| Put your name on the housing register | SW | by 1 March 2025 |\n"
    found = actions(text, date="2025-01-10")
    assert len(found) == 1 and found[0].owner == "SW" and found[0].deadline == "2025-03-01"


def test_progress_on_the_last_reviews_decisions_is_not_a_new_action() -> None:
    text = (
        "Progress on previous decisions\n\n"
        "Jo to update the placement plan by 20 April 2024. In progress.\n\n"
        "Decisions\n\n"
        "1. Jo to send the minutes to Kai by 30 April 2024.\n"
    )
    found = actions(text, date="2024-04-10")
    assert [a.deadline for a in found] == ["2024-04-30"]


def test_a_status_note_after_an_action_marks_it_as_reported() -> None:
    found = actions("Ms Achebe to hold your PEP meeting by 3 May 2024. Done.", date="2024-06-01")
    assert found == []


def test_conditional_contingency_without_an_owner_is_not_an_action() -> None:
    text = "If Beech House cannot keep Tyler safe, a placement closer to Walsall will be requested."
    assert actions(text, date="2024-06-01") == []


def test_forecasts_and_definitions_are_not_actions() -> None:
    text = "Talking to someone will help you. The IRO's job is to check your plan is right for you. It should be noted that you enjoy school."
    assert actions(text, date="2024-06-01") == []


def test_terse_minute_with_a_mistagged_verb_is_an_action() -> None:
    a = only("SW to present the matching report to panel by 31/07/2025", date="2025-06-01")
    assert a.owner == "SW" and a.deadline == "2025-07-31"


def test_name_and_role_in_apposition_gives_the_name_as_owner() -> None:
    a = only("Ms Adeyemi, your Independent Reviewing Officer (IRO), will visit you by 5 November 2024.", date="2024-10-01")
    assert a.owner == "Ms Adeyemi"


def test_an_attendance_table_is_not_an_action_table() -> None:
    text = (
        "Who came to your review\n"
        "Name | Who they are | How they took part\n"
        "Jenny Whitlock | Your IRO | Ran the meeting\n"
        "Ravi Mehta | Your social worker | Came to the meeting\n"
        "Your mum | Mum | Phoned Ravi on 17 January\n\n"
        "What will happen next\n"
        "Action | Who | By when\n"
        "Book your dental check | Donna | 28/02/2025\n"
    )
    found = actions(text, date="2025-01-20")
    assert [a.owner for a in found] == ["Donna"]
    assert found[0].deadline == "2025-02-28"


def test_progress_lists_chair_remarks_and_findings_are_not_actions() -> None:
    text = (
        "PREVIOUS RECS (review 15/01/2025)\n"
        "a) Polish language lessons to be explored - ongoing\n\n"
        "Permanence\n"
        "- return home to mum has been assessed as not safe (assessment 2023)\n\n"
        "IRO advised that the passport has drifted and will be escalated to the team manager.\n\n"
        "The court will make the final decision at the hearing on 28/05/2025.\n"
        "You will then get a personal adviser.\n"
    )
    assert actions(text, date="2025-03-03") == []


def test_a_ratio_colon_is_not_a_label() -> None:
    a = only("Education\n- VSH to be asked to fund 1:1 tutor\n", date="2025-03-03")
    assert a.text == "VSH to be asked to fund 1:1 tutor"


def test_owner_after_a_dash_with_a_timescale_and_a_passive_agent_before_and() -> None:
    a = only("Solicitor to be chased regarding the interview date – SW, ASAP.", date="2025-03-03")
    assert a.owner == "SW" and not a.timebound
    a = only("Parenting assessment to be completed by the ISW and filed by 15/11/2024.", date="2024-10-01")
    assert a.owner == "the ISW" and a.deadline == "2024-11-15"


def test_a_birthday_deadline_resolves_from_the_date_of_birth() -> None:
    text = "Pathway plan\nDate: 03/03/2025\nDOB: 14/08/2007\n\nActions\n- Chloe to update the plan before Kofi's 18th birthday\n"
    a = only(text)
    assert a.deadline == "2025-08-14" and a.timebound
    a = only("Pathway plan\nDate: 03/03/2025\nDOB: 14/08/2007\n\nJo will take you to buy a cake before your birthday.\n")
    assert a.deadline == "2025-08-14"


def test_school_holidays_have_a_date_only_when_the_record_states_them() -> None:
    from analyser import analyse

    stated = analyse(
        "REVIEW MINUTES\nDate: 01/03/2025\nThe Easter holidays are from 7 to 21 April.\n"
        "Grace will book your check-up for the Easter holidays.\nJo will visit you before the Easter holidays.\n"
        "Sam will ring you before the summer holidays.\n"
    )
    by_text = {a.text.split()[0]: a for a in stated.actions}
    assert by_text["Grace"].deadline == "2025-04-21" and by_text["Grace"].timebound  # during: the last day
    assert by_text["Jo"].deadline == "2025-04-04"  # before: the last school day (Friday) before them
    assert by_text["Sam"].deadline is None and not by_text["Sam"].timebound  # the summer's dates are not given


def test_the_child_written_about_is_the_owner_of_their_own_action() -> None:
    from analyser import analyse

    r = analyse("CARE PLAN\nName: Amira Khan\nDate: 04/03/2025\n\nHealth\nThe child is to attend the dentist asap.\n")
    assert [(a.text, a.owner, a.timebound) for a in r.actions] == [("The child is to attend the dentist asap.", "Amira", False)]
    assert any(f.rule == "timebound_actions.vague_timescale" and f.term == "asap" for f in r.findings)


def test_a_passive_with_this_under_will_is_an_unowned_action_and_a_should_is_not() -> None:
    from analyser import analyse

    r = analyse("REVIEW MINUTES\nDate: 04/03/2025\n\nFamily time\nDad has asked for more time; this will be considered.\n"
                "It should be noted that Josh enjoys football.\n")
    assert [(a.text, a.owner) for a in r.actions] == [("Dad has asked for more time; this will be considered.", None)]


def test_an_undated_if_clause_says_what_would_happen_not_a_plan_action() -> None:
    from analyser import analyse

    r = analyse("CARE PLAN\nName: Jake Lee\nDate: 04/03/2026\n\nFamily time\nIf Jake's dad says no, I will talk to you "
                "about video calls.\nIf the placement ends, Ruth will find you a new home by 30 April 2026.\n"
                "I will ring your dad by 13 March 2026.\n")
    assert [a.text for a in r.actions] == ["If the placement ends, Ruth will find you a new home by 30 April 2026.",
                                           "I will ring your dad by 13 March 2026."]


def test_a_named_persons_agreement_at_the_meeting_is_an_action_and_yours_to_meet_me_is_not() -> None:
    from analyser import analyse

    r = analyse("REVIEW MINUTES\nDate: 04/03/2026\n\nEducation\nAmara is doing well at school. Mrs Dunmore agreed to "
                "arrange small-group writing sessions for Amara. You agreed to meet me at the cafe.\n")
    assert [(a.text, a.owner) for a in r.actions] == [
        ("Mrs Dunmore agreed to arrange small-group writing sessions for Amara.", "Mrs Dunmore")]


def test_when_the_next_review_is_and_a_heading_with_will_are_not_actions() -> None:
    from analyser import analyse

    r = analyse("REVIEW MINUTES\nDate: 04/03/2026\n\nWhat we will do if things change\nIf Amara's carers cannot "
                "keep her, Kwame will find a new home by 30 April 2026.\n\nNext review\nAmara's next review will be in "
                "September 2026; the date will be confirmed by letter.\n")
    assert [a.text for a in r.actions] == ["If Amara's carers cannot keep her, Kwame will find a new home by 30 April 2026."]


def test_a_he_opening_the_next_sentence_carries_on_the_last_actions_owner() -> None:
    # "your dad" is the last man named before "He", but the subject carries on: Owen sends the form.
    from analyser import analyse

    r = analyse("CARE PLAN\nName: Jayden Lee\nDate: 04/03/2026\n\nIdentity\nOwen will take the passport form to your "
                "dad again. He will send it to the Passport Office by 20 March 2026.\n")
    assert [(a.text, a.owner) for a in r.actions] == [
        ("Owen will take the passport form to your dad again. He will send it to the Passport Office by 20 March 2026.",
         "Owen")]


def test_a_step_before_the_first_action_joins_it_and_a_progress_update_stands_alone() -> None:
    from analyser import analyse

    head = "CARE PLAN\nName: Poppy Lane\nDate: 16/02/2026\n\nEducation\n"
    r = analyse(head + "Tom will ask the adoption team whether Leah's family would be open to letterbox contact. "
                "He will explain to you what letterbox contact means before he asks.\n")
    assert len(r.actions) == 1 and r.actions[0].text.endswith("before he asks.")
    r = analyse(head + "Mr Lowe has agreed to put Poppy in the small reading group from Monday 2 March 2026. "
                "He will tell the carers how she is getting on at the PEP.\n")
    assert [(a.text[:14], a.owner, a.deadline) for a in r.actions] == [
        ("Mr Lowe has ag", "Mr Lowe", "2026-03-02"), ("He will tell t", "Mr Lowe", None)]


def test_a_person_who_has_said_they_will_do_something_owns_it_and_a_wish_is_not_an_action() -> None:
    head = "CARE PLAN\nName: Kofi Mensah\nDate: 02/03/2026\n\nFamily\n"
    a = only(head + "Kwame has said he will take Kofi to the youth football on Saturday mornings.\n")
    assert (a.owner_text, a.timebound) == ("Kwame", True)
    a = only(head + "Your mum has said she will bring the photos by 3 May.\n")
    assert (a.owner_text, a.deadline) == ("Your mum", "2026-05-03")
    assert actions(head + "Kofi said he would like to talk to someone about his mum.\n") == []


def test_a_she_after_a_man_is_not_him() -> None:
    from analyser import analyse

    r = analyse("CARE PLAN\nName: Jayden Lee\nDate: 04/03/2026\n\nHealth\nMr Lister will ring the dentist by 9 March "
                "2026. Your mum, Dawn, is worried about it. She will come with you on 12 March 2026.\n")
    assert [a.owner for a in r.actions][0] == "Mr Lister"
    assert all(a.owner != "Mr Lister" for a in r.actions[1:])


def test_then_and_the_day_after_take_their_date_from_the_sentence_before() -> None:
    from analyser import analyse

    r = analyse("CARE PLAN\nName: Jayden Lee\nDate: 10/02/2026\n\nHealth\nYour dentist appointment is on 24 February "
                "2026. I will ring you the day after your dentist appointment to see how it went. Denise will ask the "
                "dentist about a brace before then.\n")
    got = {a.text: (a.deadline, a.deadline_text) for a in r.actions}
    assert got["I will ring you the day after your dentist appointment to see how it went."] == (
        "2026-02-25", "the day after your dentist appointment")
    assert got["Denise will ask the dentist about a brace before then."] == ("2026-02-24", "before then")


def test_a_then_after_a_past_date_or_in_another_paragraph_gets_no_date() -> None:
    from analyser import analyse

    r = analyse("CARE PLAN\nName: Jayden Lee\nDate: 10/02/2026\n\nHealth\nYour check-up was on 3 January 2026. "
                "Denise will ask about a brace before then.\n\nYour PEP is on 9 March 2026.\n\nI will ring you at the "
                "same time.\n")
    assert all(a.deadline is None for a in r.actions)


def test_we_at_a_named_service_is_that_service_and_a_wrapped_line_is_no_break() -> None:
    from analyser import analyse

    r = analyse("PATHWAY PLAN\nDate: 04/02/2026\nWritten by: Jo Reed, personal adviser, Ashby Council\n\nMoney\n"
                "We at the Care Leavers' Service will pay for the course by 10 March 2026. Jo will\nmeet you by "
                "13 March 2026 to plan your budget.\n")
    assert [(a.owner, a.owner_text) for a in r.actions] == [("Care Leavers' Service", "We"), ("Jo", "Jo")]


def test_a_passive_recommendation_names_no_owner_unless_by_someone() -> None:
    from analyser import analyse

    r = analyse("REVIEW MINUTES\nDate: 04/02/2026\n\nRecommendations\nThat a later-life letter for Amara is started.\n"
                "That Z's wish to see her Nani is recorded in her care plan.\n"
                "That Amara is seen by the dentist by 3 May 2026.\nFamily time arrangements should be maintained.\n")
    assert [(a.text, a.owner) for a in r.actions] == [
        ("That a later-life letter for Amara is started.", None),
        ("That Z's wish to see her Nani is recorded in her care plan.", None),
        ("That Amara is seen by the dentist by 3 May 2026.", "the dentist")]


def test_an_action_tied_to_an_event_the_record_dates_earlier_takes_its_date() -> None:
    from analyser import analyse

    r = analyse("CARE PLAN\nName: Noah Fletcher\nDate: 23/02/2026\n\nHealth\nYour dentist appointment is on 24 February "
                "2026 at 4pm.\n\nYour review\nYour next review meeting is on 18 May 2026. I will help you fill in your "
                "form before the meeting.\n\nFamily\nI will ring you the day after your dentist appointment.\n"
                "I will see you after your hearing.\n")
    got = {a.text: a.deadline for a in r.actions}
    assert got["I will help you fill in your form before the meeting."] == "2026-05-18"
    assert got["I will ring you the day after your dentist appointment."] == "2026-02-25"
    assert got["I will see you after your hearing."] is None  # the record never dates the hearing


@pytest.mark.parametrize(("sentence", "owner", "due"), [
    ("Jan and I will both be there.", "Jan and I", "2025-04-02"),
    ("Mr Adeyemi and I will both be there, and you can come for the first part if you want to.",
     "Mr Adeyemi and I", "2025-04-02"),
    ("Denise will take you.", "Denise", "2025-04-02"),
    ("Sue will go, and you are welcome to join her.", "Sue", "2025-04-02"),
    ("We will pay for a taxi so that you can both attend while Carol has the dog.", "We", "2025-04-02"),
])
def test_being_there_for_an_event_just_dated_is_an_action_due_on_its_date(sentence, owner, due) -> None:
    """Issue 19 item 6: an action pointing at the event named just before takes that event's date."""
    found = actions(f"Care plan for Isla. Date: 01/03/2025.\n\nYour review meeting is on 2 April 2025. {sentence}\n")
    [action] = [a for a in found if a.text.startswith(sentence[:12])]
    assert (action.owner, action.deadline, action.timebound) == (owner, due, True)


@pytest.mark.parametrize("sentence", [
    "You will be there for your sister.",  # "be there for": support, not attendance
    "Dad will take you to football on Saturdays.",  # its own place and time: not the event before
    "Mum will go to the parenting course.",  # going somewhere else
])
def test_being_there_for_someone_or_a_trip_of_its_own_takes_no_event_date(sentence) -> None:
    found = actions(f"Care plan for Isla. Date: 01/03/2025.\n\nYour review meeting is on 2 April 2025. {sentence}\n")
    assert all(a.deadline != "2025-04-02" for a in found), [(a.text, a.deadline) for a in found]
    if "there for" in sentence:
        assert not [a for a in found if "there for" in a.text]


def test_a_condition_dated_only_inside_it_is_a_contingency_not_an_action() -> None:
    """Issue 19 item 8: "If ... by Easter, X will ..." says what would happen; dated in its main clause it
    is a task."""
    head = "Care plan for Ellie. Date: 01/03/2026.\n\n"
    assert actions(head + "If the mornings do not improve by 30 April 2026, Bethany will ask for an "
                   "educational psychology assessment.\n") == []
    [task] = actions(head + "If the mornings do not improve, Bethany will ask for an educational psychology "
                     "assessment by 30 April 2026.\n")
    assert (task.owner, task.deadline) == ("Bethany", "2026-04-30")


@pytest.mark.parametrize(("sentence", "owner"), [
    ("In May, I will ask the Virtual School about the bursary.", "I"),
    ("On Monday, Jo will ring the school.", "Jo"),
    ("By May, Jo will ring the school.", "Jo"),
    ("In addition, Jo will ring the school.", "Jo"),
    ("Ms Adeyemi, your IRO, will ring the school.", "Ms Adeyemi"),
])
def test_a_fronted_time_is_not_the_owner(sentence, owner) -> None:
    [action] = actions("Care plan for Ali. Date: 01/03/2025.\n\n" + sentence + "\n")
    assert action.owner_text == owner


@pytest.mark.parametrize(("sentence", "due"), [
    ("Abi and the fostering team will prepare the report together beforehand.", "2025-03-13"),
    ("Abi will present Finn's plan there so that you can be approved as his carers.", "2025-03-13"),
    ("Hannah will go to the panel and speak for you. She will ring you the same afternoon with the result.",
     "2025-03-13"),
])
def test_beforehand_there_and_the_same_afternoon_point_back_to_the_event_just_dated(sentence, due) -> None:
    found = actions("Care plan for Finn. Date: 01/03/2025.\n\nThe fostering panel is on 13 March 2025. "
                    + sentence + "\n")
    assert found and all(a.deadline == due for a in found), [(a.text, a.deadline) for a in found]


@pytest.mark.parametrize(("sentence", "due"), [
    ("Jan will find a dancing class by the May half-term (school finishes for half-term on Friday 23 May).",
     "2025-05-23"),
    ("Paul will take you to the taster session before May half-term (you break up on 22 May).", "2025-05-22"),
    ("Abi will ask for a tutor and let you know by half-term (Moss Lane breaks up on Friday 14 Feb).",
     "2025-02-14"),
    ("Jo will ring you by the May half-term.", None),  # the record does not say when: no guess
])
def test_half_term_is_dated_by_the_day_school_breaks_up_when_the_record_gives_it(sentence, due) -> None:
    """Issue 19 item 7: "May half-term" is a holiday, not the end of May; the day school breaks up for it
    dates "before / by half-term"."""
    [action] = actions("Care plan for Ali. Date: 01/01/2025.\n\n" + sentence + "\n")
    assert action.deadline == due


def test_giving_the_start_date_reports_back_on_the_sentence_before() -> None:
    """Issue 19 item 6: "Kwame will re-send the referral. He will give you the start date by phone within 2
    weeks." is one action, with the second sentence's date."""
    found = actions("Care plan for Amara. Date: 03/03/2026.\n\nKwame will re-send the referral to the Family Hub. "
                    "He will give you the start date by phone within 2 weeks.\n")
    assert len(found) == 1 and found[0].owner_text == "Kwame" and found[0].deadline == "2026-03-17"


def test_meeting_before_the_next_review_is_a_task_meeting_at_it_is_not() -> None:
    head = "Review minutes for Kayden. Date of review: 14/11/2025. Next review: 14/01/2026.\n\n"
    [task] = actions(head + "That the social worker and carers meet with school before the next review to agree a plan.\n")
    assert task.owner_text == "the social worker and carers" and task.deadline == "2026-01-14"
    assert actions(head + "We will meet again at the next review.\n") == []


def test_bringing_something_to_the_next_review_is_due_at_it() -> None:
    [a] = actions("Review minutes for Kayden. Date of review: 14/11/2025. Next review: 14/01/2026.\n\n"
                  "Ms Lee will bring his sleep diary to the next review.\n")
    assert (a.deadline, a.timebound) == ("2026-01-14", True)


@pytest.mark.parametrize("sentence", [
    "If you, Sandra or your mum do not agree with anything in this letter, please tell me within 5 working days "
    "and I will look at it again.",
    "If the contact is cancelled, please ring me on 01632 960123 by 5pm that day.",
    "If you are worried about anything before then, let me know within 2 days.",
    "If anyone at the meeting disagrees with these decisions, they need to tell me within 5 working days of "
    "getting this letter.",
    "If you are unhappy with the plan, you can contact the complaints team within 28 days.",
])
def test_how_to_answer_or_reach_the_writer_is_not_an_action(sentence) -> None:
    """Issue 19 item 8: "If you disagree, tell me within five days", however it is worded."""
    assert actions("Dear Kacper,\n\nReview date: 10/03/2026.\n\n" + sentence + "\n") == []


def test_a_condition_dated_only_by_the_next_review_says_what_it_would_discuss() -> None:
    head = "Review minutes for Kacper. Date of review: 10/03/2026. Next review: 08/09/2026.\n\n"
    assert actions(head + "If the visits with your dad go well, we will talk at your next review about seeing "
                   "him more often.\n") == []
    [task] = actions(head + "If the visits go well, Megan will book a longer visit by 30 April 2026.\n")
    assert task.deadline == "2026-04-30"


def test_news_the_child_will_hear_is_not_an_action_but_who_tells_them_is() -> None:
    head = "Care plan for Leon. Date: 10/01/2026.\n\n"
    assert actions(head + "You will hear about your secondary school place on 2 March.\n") == []
    [a] = actions(head + "Jo will tell you about your secondary school place on 2 March.\n")
    assert (a.owner_text, a.deadline) == ("Jo", "2026-03-02")


@pytest.mark.parametrize(("sentence", "kept"), [
    ("At your review in September it was agreed that Megan would get you a bus pass.", False),
    ("At the last review (03/06/2025) it was agreed that Rachel would help Yusuf claim his grant.", False),
    ("At the previous meeting Tom agreed that he would find Maddie a new dentist.", False),
    ("It was agreed that the school would put Finn into the small phonics group by 30 April 2026.", True),
    ("At your review in September Megan will get you a bus pass.", True),
])
def test_an_earlier_meetings_decision_reported_is_history(sentence, kept) -> None:
    """Issue 19 item 5: the same words reporting a past agreement are history; today's decisions stay."""
    found = actions("Review minutes for Kacper. Date of review: 10/03/2026.\n\n" + sentence + "\n")
    assert bool(found) == kept, [a.text for a in found]


def test_before_the_review_is_the_review_still_to_come() -> None:
    [a] = actions("Review minutes for Leon. Date of review: 10/01/2026. Next review: 21/04/2026.\n\n"
                  "Graham Tully is your IRO. He will ring you before the review to ask what you want to talk about.\n")
    assert (a.deadline, a.timebound) == ("2026-04-21", True)


@pytest.mark.parametrize("sentence", [
    "Plan B is for Tomasz to live with his uncle Piotr in Coventry, if his assessment is positive.",
    "Plan C: an application for a Placement Order, although this is not the preferred outcome.",
    "Following discussion with the carers, it was agreed that a referral to CAMHS is not required at this time.",
    "Everyone agreed that you will keep living with Bev and Clive.",
    "You will stay with Jan and Pete Morrow.",
])
def test_plan_options_decisions_not_to_act_and_staying_put_are_not_tasks(sentence) -> None:
    """Issue 19 item 8: what the plan is, not a task anyone will do."""
    assert actions("Care plan for Tomasz. Date: 01/03/2026.\n\n" + sentence + "\n") == []


def test_a_referral_still_to_make_is_a_task() -> None:
    head = "Care plan for Tomasz. Date: 01/03/2026.\n\n"
    assert len(actions(head + "Jo will make a referral to CAMHS by 30 March 2026.\n")) == 1


def test_the_day_college_breaks_up_for_easter_dates_before_the_easter_holidays() -> None:
    [a] = actions("Pathway plan for Shanice. Date: 25/02/2026.\n\nCollege breaks up for Easter on Friday 27 March 2026.\n\n"
                  "I will help you write a CV before the Easter holidays.\n")
    assert (a.deadline, a.timebound) == ("2026-03-27", True)


def test_a_by_when_cell_that_is_only_a_dated_holiday_is_due_at_its_end() -> None:
    text = ("Care plan for Jayden. Date: 01/03/2025.\n\nAction | Who | By when\n"
            "Day out for Jayden and Leon | Bethany Kerr | Easter holidays, 7-21 April 2025\n"
            "Book dental check-up | Mrs Oduya | Easter holidays\n"
            "Visit Jayden at school | Martin Greaves | Summer holidays\n")
    found = {a.text.split(" | ")[0]: a for a in actions(text)}
    assert found["Book dental check-up"].deadline == "2025-04-21"
    assert found["Visit Jayden at school"].deadline is None  # the record never says when the summer is


@pytest.mark.parametrize(("sentence", "deadline"), [
    ("Placement plan meeting to be held asap.", None),
    ("Placement plan meeting to be held by 3 March 2026.", "2026-03-03"),
])
def test_a_meeting_to_be_held_by_a_time_is_a_task_to_arrange(sentence, deadline) -> None:
    [a] = actions("Care plan for Tomasz. Date: 01/02/2026.\n\n" + sentence + "\n")
    assert (a.owner, a.deadline) == (None, deadline)


def test_the_next_review_held_on_a_date_is_not_a_task() -> None:
    assert actions("Care plan for Tomasz. Date: 01/02/2026.\n\nThe next review will be held on 5 May 2026.\n") == []


def test_a_thing_with_a_mistagged_start_verb_is_a_task() -> None:
    """The small model tags 'commence' a noun and 'LSW' (life story work) a verb."""
    [a] = actions("Care plan for Tomasz. Date: 01/02/2026.\n\nLSW to commence in March 2026.\n")
    assert (a.owner, a.deadline) == (None, "2026-03-31")


def test_attending_the_event_just_named_takes_its_date() -> None:
    [a] = actions("Care plan for Maya. Date: 01/03/2025.\n\nHer PEP meeting is on 2 April 2025. "
                  "Helen and Mrs Cole (class teacher) will both attend.\n")
    assert (a.owner, a.deadline) == ("Helen and Mrs Cole (class teacher)", "2025-04-02")


def test_half_term_dated_by_the_sentence_after_the_action() -> None:
    [a] = actions("Dear Lily,\n\nDate: 01/10/2025.\n\n1. Zara will ask your mum's support worker about visits. She will "
                  "tell you the answer by half-term. You break up for half-term on Friday 24 October.\n")
    assert a.deadline == "2025-10-24"


@pytest.mark.parametrize("sentence", [
    "Last time we agreed that Pam would take you to swimming lessons.",
    "Last time you agreed to open a bank account – you did this in August.",
])
def test_what_the_last_review_agreed_is_history(sentence) -> None:
    assert actions("Dear Lily,\n\nDate: 01/10/2025.\n\n" + sentence + "\n") == []


@pytest.mark.parametrize(("sentence", "owner_text"), [
    ("You agreed to come to Mia's school play in December.", "You"),
    ("Ms Varga (health visitor) agreed to refer Rosie to the speech and language service.", "Ms Varga (health visitor)"),
])
def test_an_agreement_to_do_something_still_to_come_is_an_action(sentence, owner_text) -> None:
    [a] = actions("Dear Ms Rahman,\n\nDate: 01/10/2025.\n\n" + sentence + "\n")
    assert a.owner_text == owner_text


PLAN_HEAD = "Care plan\nName: Leah Smith\nDate: 01/03/2026.\nNext review: 19/10/2026\n\n"


@pytest.mark.parametrize("sentence", [
    "Leah needs to improve her attendance to 90%.",
    "BM needs to engage with Turning Point.",
    "The meeting agreed that, from 21 March 2026, your time with Leah no longer needs to be supervised.",
    "Leah will be entitled to a Setting Up Home Allowance when she moves into her own tenancy.",
    "You will find out which school you got on 1 March.",
    "Marcus applied for your passport on 2 February 2026 and it should arrive soon.",
    "We will review this plan with you on 19 October 2026.",
    "School will consider requesting an EHC needs assessment if progress is not made by the summer.",
    "\"I want my own place. Please stop calling it a placement, it's my flat.\"",
])
def test_needs_forecasts_contingencies_and_the_childs_words_are_not_actions(sentence) -> None:
    assert actions(PLAN_HEAD + sentence + "\n") == []


@pytest.mark.parametrize(("sentence", "owner", "deadline"), [
    ("Mum needs to finish the parenting course by 3 May 2026.", "Mum", "2026-05-03"),
    ("The family centre will ring Mum every Tuesday to check she is coming.", "family centre", None),
    ("Your review health assessment will be booked before your next review.", None, "2026-10-19"),
    ("Mr Pugh will meet you before the end of the summer term (college finishes on Friday 3 July 2026).", "Mr Pugh", "2026-07-03"),
])
def test_dated_needs_services_and_tasks_due_by_the_review_are_actions(sentence, owner, deadline) -> None:
    [a] = actions(PLAN_HEAD + sentence + "\n")
    assert (a.owner, a.deadline) == (owner, deadline)


def test_attending_and_speaking_at_the_event_just_named_takes_its_date() -> None:
    [a] = actions(PLAN_HEAD + "The housing panel is on 3 April 2026. Darren will attend and speak for Leah.\n")
    assert a.deadline == "2026-04-03"


def test_letting_the_carers_know_reports_back_on_the_sentence_before() -> None:
    [a] = actions(PLAN_HEAD + "Gemma Oakes will ring Dr Aziz about the wetting. She will let the carers know his advice by 03/04/2026.\n")
    assert (a.owner, a.deadline) == ("Gemma Oakes", "2026-04-03")


def test_a_dated_task_after_a_recurring_one_is_a_task_of_its_own() -> None:
    found = actions(PLAN_HEAD + "I will visit you every six weeks, and I will see you on your own each time. I will bring a "
                    "copy of this plan to read with you within 28 days, so you can tell me what you want to change.\n")
    assert [(a.deadline, a.timebound) for a in found] == [(None, True), ("2026-03-29", True)]


def test_a_check_in_to_see_how_things_are_going_is_a_task_of_its_own() -> None:
    found = actions("Dear Ava,\n\nDate: 01/10/2024.\nYour next review will be on 27 March 2025.\n\nI will write to Tom's "
                    "manager by 18 October 2024 to ask for your life story work to start. I will ring you before your "
                    "next review to see how things are going.\n")
    assert [a.deadline for a in found] == ["2024-10-18", "2025-03-27"]


def test_a_new_task_that_carries_its_own_reply_is_not_joined_to_the_one_before() -> None:
    found = actions("Dear Dawit,\n\nDate: 20/10/2023\n\nI will ring Mrs Hall about the skipping by Friday 27 October. "
                    "I will ask your mum if the next family time can include your brother, and let you know on my next visit.\n\n"
                    "Best wishes,\nJo Reed, social worker\n")
    assert [a.deadline for a in found] == ["2023-10-27", None]


@pytest.mark.parametrize(("sentence", "owner"), [
    ("In order to progress the plan without delay, Ms Begum will find you a Polish class by 3 May 2025.", "Ms Begum"),
    ("No later than 3rd November, the leaving care PA will go to the college open evening with him.", "leaving care PA"),
])
def test_a_fronted_purpose_or_time_is_not_the_owner(sentence, owner) -> None:
    [a] = actions("Care plan\nName: Ana Smith\nDate: 01/03/2025\n\n" + sentence + "\n")
    assert a.owner == owner


@pytest.mark.parametrize("sentence", [
    "This is your care plan. It says where you will live and what the grown-ups are going to do over the next few months.",
    "1. Your views\nYou like school.\n\n2. Progress on the decisions from the last review (8 September 2025)\nThe referral was made in October.",
])
def test_an_introduction_and_a_numbered_progress_heading_are_not_actions(sentence) -> None:
    assert actions("Dear Ana,\n\nDate: 01/03/2026\n\n" + sentence + "\n") == []


def test_an_agreement_at_a_past_meeting_takes_the_tasks_own_date_and_owner() -> None:
    [a] = actions("Care plan\nName: Kayden Marsh\nDate of plan: 12/11/2025\n\nAt the planning meeting on 05/11/2025 Ms Marsh "
                  "agreed to attend the Stepping Stones parenting group starting 24/11/2025.\n")
    assert (a.owner, a.deadline) == ("Ms Marsh", "2025-11-24")


def test_carers_named_by_their_agency_resolve_to_nobody_but_themselves() -> None:
    [a] = actions("Care plan\nName: Kayden Marsh\nPlacement: Mr and Mrs Oduya, IFA carers (Brightpath Fostering)\n"
                  "Date of plan: 12/11/2025\n\nThat the social worker and carers meet with school by 1 December 2025.\n")
    assert a.owner == "the social worker and carers"


@pytest.mark.parametrize(("sentence", "words"), [
    ("Jo will ring you by half-term.", "by half-term"),
    ("I will help you write a CV before the summer holidays.", "before the summer holidays"),
    ("Mr Pugh will meet you before the end of the summer term.", "before the end of the summer term"),
])
def test_an_undated_school_calendar_point_is_not_timebound_and_asks_for_the_date(sentence, words) -> None:
    """Issue 19 item 7: a school-calendar point resolves only when the record states its date."""
    r = analyse("Care plan\nName: Ana Smith\nDate: 01/03/2025\n\n" + sentence + "\n")
    [a] = r.actions
    assert (a.timebound, a.deadline, a.problems) == (False, None, ["school_date_unknown"])
    [f] = [f for f in r.findings if f.rule == "timebound_actions.school_date_unknown"]
    assert f.term == words and f.data == {"action": 1}
    assert not [f for f in r.findings if f.rule == "timebound_actions.no_deadline"]


MINUTES_HEAD = "Review minutes\nName: Lily-Mae Smith\nDate: 17/11/2026\n\n"


@pytest.mark.parametrize("sentence", [
    "Everyone at the meeting agreed that he is settled and that he is very attached to you both.",
    "You are also going to school far more than you were.",
    "1. That Lily-Mae remains in her placement with Mr and Mrs Ruddock.",
    "1. That the next review is held on 8 September 2027 at 4pm at the foster home.",
    "Please contact the IRO on 01632 960418 with any concerns.",
    "Dennis agreed that the present weekday sessions can move to Saturdays.",
    "The report notes that Lily-Mae needs to have an eye test, as she has been squinting.",
])
def test_states_permissions_standing_plans_and_contact_lines_are_not_actions(sentence) -> None:
    assert actions(MINUTES_HEAD + sentence + "\n") == []


def test_a_plans_review_date_in_a_key_value_row_is_not_an_action() -> None:
    assert actions("Pathway Plan\nName | Kezia Boateng\nDate of this plan | 2 June 2026\n"
                   "Plan to be reviewed | by 2 December 2026\n") == []


@pytest.mark.parametrize(("sentence", "owner", "deadline"), [
    ("Ms Kendall will write to Ms Brennan about family time. She will do this by the end of the month.", "Ms Kendall", "2026-11-30"),
    ("Gareth Lowe will ring you to set up the sessions. He will confirm the new times to you by 4 December 2026.",
     "Gareth Lowe", "2026-12-04"),
    ("Lily-Mae has had two nosebleeds; Dr Naseem asked the carers to keep a note, and Mr Ruddock agreed to do this.", "Mr Ruddock", None),
    ("Your PEP meeting is on 20 January 2027. Callum and Mr Baptiste will both be at it.", "Callum and Mr Baptiste", "2027-01-20"),
    ("1. That the social worker considers an overnight stay with Ms Thorpe in due course.", "the social worker", None),
    ("Ms Grant is going to work with you on your feelings before the end of December.", "Ms Grant", "2026-12-31"),
])
def test_replies_clauses_after_and_events_just_named_are_read(sentence, owner, deadline) -> None:
    [a] = actions(MINUTES_HEAD + sentence + "\n")
    assert (a.owner, a.deadline) == (owner, deadline)


def test_an_agreement_for_whenever_something_happens_is_an_action() -> None:
    [a] = actions("Dear Tyler,\n\nDate: 17/11/2026\n\nYou agreed to tell staff where you are going, and who with, "
                  "whenever you go out in the evening.\n")
    assert a.owner_text == "You"


CP_HEAD = "Care plan\nName: Reece Dunmore\nDate of birth: 27/04/2007\nDate: 01/10/2026\n\nDear Reece, this is your care plan.\n\n"


@pytest.mark.parametrize(("sentence", "owner", "deadline"), [
    ("Holly from the Orchard Project will start seeing you at school every Tuesday from 10 November 2026.", "Holly", "2026-11-10"),
    ("Kacper agreed to tell Mrs Pettit when he feels a detention is unfair.", "Kacper", None),
    ("You said you will register with Larkfield Medical Practice by 28 February 2027 at the latest.", "Reece", "2027-02-28"),
    ("Agreed FC to take YP to Tolmarsh College open eve on 26/11/26.", "FC", "2026-11-26"),
    ("You agreed to keep a short diary of your sleep for the next four weeks.", "Reece", "2026-10-29"),
    ("Your foster carers, Jo and Martin, will put up the new shelves by 23 October 2026.", "Jo and Martin", "2026-10-23"),
    ("Helen Marr, our assessing social worker, will start your assessment in January.", "Helen Marr", "2027-01-31"),
    ("Before your 20th birthday, we will decide with you how often I visit.", "we", "2027-04-27"),
    ("Your PEP meeting is on 5 November 2026. I will be\nthere.", "I", "2026-11-05"),
    ("Your hearing test is on 3 December 2026. Nadine will take you and ring me afterwards.", "Nadine", "2026-12-03"),
])
def test_owners_and_dates_read_from_blind10(sentence, owner, deadline) -> None:
    [a] = actions(CP_HEAD + sentence + "\n")
    assert (a.owner, a.deadline) == (owner, deadline)


@pytest.mark.parametrize("sentence", [
    "Isla will start school in September 2026.",
    "The next review is on 19 January 2027. Colin Ashby, your Independent Reviewing Officer, will chair it.",
    "IRO will escalate to TM if passport not sent by date above.",
    "I write to you after each visit so that you have a record of what each of us is going to do.",
    "Lorraine said she will read it with you at bedtime.",
])
def test_facts_the_chair_a_contingency_and_what_was_said_are_not_actions(sentence) -> None:
    assert actions(CP_HEAD + sentence + "\n") == []


def test_yp_is_kept_as_written_and_birthday_money_is_no_deadline() -> None:
    found = actions(CP_HEAD + "Action | Who | When\nYP to attend maths intervention | YP | Tues & Thurs lunchtimes\n"
                    "Set up a savings pot for your birthday money | You and Rosa | TBC\n")
    assert [(a.owner, a.deadline, a.timebound) for a in found] == [("YP", None, True), ("Reece and Rosa", None, False)]


@pytest.mark.parametrize("sentence", [
    "If the updated assessment is positive, the local authority will consider applying to discharge the Care Order next year.",
    "You also agreed to go on the Positive Parenting course, and you finished it in October.",
    "At that meeting we agreed that you would have reading time three mornings a week, and this has already started.",
])
def test_contingencies_and_agreements_reported_done_are_not_actions(sentence) -> None:
    assert actions(CP_HEAD + sentence + "\n") == []


def test_a_table_row_stating_the_next_meeting_is_not_an_action() -> None:
    assert actions(CP_HEAD + "What will happen | Who will do it | When\n"
                   "Your next meeting about this plan | Mark (your IRO) | 15 March 2027\n") == []


@pytest.mark.parametrize(("sentence", "deadline", "timebound"), [
    ("The lodgings agreement is\nto be reviewed by 30 November 2026.", "2026-11-30", True),
    ("Mrs Ahmed will give you extra reading time three mornings a week.", None, True),
    ("College breaks up for Christmas on Friday 18 December. Sam will help you finish your folder before you break up.",
     "2026-12-18", True),
    ("His PEP meeting is on Tuesday 8 December at 3.30pm at the school. I will meet you at the school reception.",
     "2026-12-08", True),
])
def test_wrapped_passives_frequencies_break_up_days_and_meeting_points(sentence, deadline, timebound) -> None:
    [a] = actions(CP_HEAD + sentence + "\n")
    assert (a.deadline, a.timebound) == (deadline, timebound)


MIN_HEAD = "Review minutes\nName: Kacper Nowak\nDate: 03/11/2026\n\nActions agreed:\n"


@pytest.mark.parametrize(("sentence", "owner", "deadline", "timebound"), [
    ("- HM to circulate minutes within 15 working days.", "HM", "2026-11-24", True),
    ("- AN to give JT the health visitor's details by 10/11/26.", "AN", "2026-11-10", True),
    ("- Priti will have the report for the Permanence Panel written by 15 January 2027.", "Priti", "2027-01-15", True),
    ("- Colin Reeve (registered manager) to send the Reg 44 report to the SW within 28 days.",
     "Colin Reeve (registered manager)", "2026-12-01", True),
    ("- Jayden agreed to cook one evening meal a week with staff.", "Jayden", None, True),
])
def test_initials_causatives_bracketed_roles_and_weekly_counts(sentence, owner, deadline, timebound) -> None:
    [a] = actions(MIN_HEAD + sentence + "\n")
    assert (a.owner, a.deadline, a.timebound) == (owner, deadline, timebound)


def test_the_child_by_initial_needs_to_is_a_need_and_sdq_is_no_one() -> None:
    assert actions(MIN_HEAD + "- K needs to cut down drinks after 6pm.\n") == []
    [a] = actions(MIN_HEAD + "- SDQ to be completed by 3 December 2026.\n")
    assert a.owner is None


def test_the_end_of_term_in_a_table_is_the_stated_break_up_day() -> None:
    [a] = actions("Care plan\nName: Ruby Smith\nDate: 01/02/2027\n\nSchool breaks up for Easter on Friday 26 March 2027.\n\n"
                  "Area | What will happen | Who | By when\nSchool | Meet with you about your options | Mrs Achebe | by the end of term\n")
    assert a.deadline == "2027-03-26"


def test_an_owner_broken_over_a_pdf_page_is_reported_as_one_name() -> None:
    text = ("Isla's PEP meeting is on Thursday 12 November 2026 at 3.30pm at\nthe school. I would like one of you to "
            "come too if you can. Mrs Pennington\n\nwill ask Isla for her views by 10 November 2026.\n")
    found = [a for a in actions(text, date="2026-10-20") if "views" in a.text]
    assert [(a.owner, a.owner_text) for a in found] == [("Mrs Pennington", "Mrs Pennington")]


def test_an_agreement_whose_first_part_names_nobody_takes_the_owner_of_the_part_joined_to_it() -> None:
    a = only("It was agreed that contact will increase, and that Jo will book the room by 3 May 2027.",
             date="2026-11-24", doc_type="review_minutes")
    assert (a.owner, a.deadline) == ("Jo", "2027-05-03")
    passive = only("It was agreed that the assessment will be done by 3 May 2027.", date="2026-11-24", doc_type="review_minutes")
    assert passive.owner is None


def test_a_bold_label_before_a_sentence_is_not_part_of_its_owner_nor_hides_its_condition() -> None:
    a = only("**Health.** Jo will book the dentist by 3 March 2027.", date="2027-02-17")
    assert (a.owner, a.owner_text) == ("Jo", "Jo")
    assert actions("**Safety.** If Leon goes missing again, staff will follow the missing protocol and tell DH "
                   "the same day.", date="2027-02-17") == []


def test_a_frequency_in_the_answer_to_a_condition_does_not_make_it_an_action() -> None:
    assert actions("If the sessions keep going well, I will ask my manager to agree one session a month at your flat.",
                   date="2027-02-17") == []
    # A date outside the condition still does.
    a = only("If the sessions keep going well, I will ask my manager by 3 March 2027.", date="2027-02-17")
    assert a.deadline == "2027-03-03"


def test_a_need_of_the_child_called_by_initials_is_not_an_action() -> None:
    head = "**Young person:** Leon Marsh, age 15\n\n## Education\n\n"
    assert actions(head + "LM needs to keep his attendance above 90% to be offered an interview.\n",
                   date="2026-11-03", doc_type="review_minutes") == []
    # Someone else by initials still owns the task.
    [a] = actions(head + "JA needs to send the college form by 20 November 2026.\n", date="2026-11-03", doc_type="review_minutes")
    assert a.owner == "JA"


def test_a_noun_compound_the_tagger_reads_as_a_verb_is_still_a_passive_tasks_subject() -> None:
    """"Bank account to be opened": the small model tags "account" a finite verb."""
    a = only("## Decisions\n\n5. Bank account to be opened once Leon's ID arrives (carried forward).\n",
             date="2026-11-03", doc_type="review_minutes")
    assert a.owner is None and not a.timebound
    assert actions("Mum wants to be told by 3 May 2027.", date="2026-11-03") == []


@pytest.mark.parametrize(("text", "owner", "deadline"), [
    ("That the social worker books Dylan's RHA within 4 weeks.", "the social worker", "2026-12-01"),
    ("That the social worker arranges for life story work to start as soon as possible.", "the social worker", None),
])
def test_a_recommendations_verb_the_tagger_reads_as_a_plural_noun_still_names_its_owner(text, owner, deadline) -> None:
    a = only(text, date="2026-11-03", doc_type="review_minutes")
    assert (a.owner, a.deadline) == (owner, deadline)


def test_a_things_noun_before_a_plural_noun_is_not_read_as_a_verb() -> None:
    a = only("That the family time records are shared.", date="2026-11-03", doc_type="review_minutes")
    assert a.owner is None


def test_within_a_period_of_this_letter_counts_from_the_letters_date_not_its_meetings() -> None:
    letter = ("Ravensholm Council\n\n9 March 2026\n\nDear Ms Okafor,\n\nRe: Amara Okafor - Child Looked After Review held "
              "on 3 March 2026\n\nKwame will give you the start date by phone within 2 weeks of this letter. "
              "I will send you the minutes within 2 weeks.\n")
    r = analyse(letter)
    assert r.meta.date == "2026-03-03"
    got = {a.text[:10]: a.deadline for a in r.actions}
    assert got == {"Kwame will": "2026-03-23", "I will sen": "2026-03-17"}


@pytest.mark.parametrize("line", [
    "Not present: Callum's school (no reply to invitation)",
    "Apologies: Callum's school (no reply to invitation)",
])
def test_to_before_a_noun_is_a_preposition_not_a_task(line) -> None:
    assert actions(line + "\n", date="2026-11-03", doc_type="review_minutes") == []
    # "to" before a verb still makes the task.
    assert len(actions("The school to reply to the invitation by 10 November 2026.\n", date="2026-11-03")) == 1


def test_a_name_then_a_role_with_a_participle_keeps_the_name_as_owner() -> None:
    a = only("Jo Whitfield, the leaving care nurse, will go through your health history with you in March.", date="2026-11-20")
    assert a.owner == "Jo Whitfield"


@pytest.mark.parametrize("text", [
    "When we met in August we agreed that I would ask the housing team to put you on the joint housing register.",
    "Last time I visited, in October, we agreed that Pat would take you to choose new football boots.",
])
def test_an_earlier_visits_agreement_reported_with_would_is_history(text) -> None:
    assert actions(text, date="2026-11-20") == []


def test_an_agreement_of_this_meeting_stays_an_action() -> None:
    assert len(actions("When we met today we agreed that I would ask the housing team by 3 December 2026.", date="2026-11-20")) == 1


def test_take_you_wrapped_over_a_line_and_followed_by_more_takes_the_events_date() -> None:
    text = ("Date: 3 December 2026\n\nYour eye test is on Monday 14 December at 4 o'clock. Pat will take\n"
            "you, and she will ask about the blue frames you liked.\n")
    [a] = actions(text)
    assert (a.owner, a.deadline) == ("Pat", "2026-12-14")


def test_the_readers_own_undated_agreement_is_an_action_but_not_a_heading_or_an_earlier_one() -> None:
    head = "Date: 22 March 2027\n\n"
    [a] = actions(head + "Poppy's school nurse check is on 14 April 2027. You agreed to go with her.\n")
    assert (a.owner_text, a.deadline) == ("You", "2027-04-14")
    assert actions(head + "What you agreed to do\n\nPoppy is well.\n") == []
    assert actions(head + "At the meeting in May you agreed to have a hair strand test.\n") == []
    assert actions(head + "When we met in March you agreed to register Ellie with the surgery, and this has been done.\n") == []
    # An earlier meeting's agreement still to come is still an action.
    [b] = actions("Date: 20 November 2025\n\nAt the planning meeting on 05/11/2025 Ms Marsh agreed to attend the "
                  "Stepping Stones parenting group starting 24/11/2025.\n")
    assert b.deadline == "2025-11-24"


def test_going_on_a_course_dated_just_before_takes_its_date() -> None:
    [a] = [x for x in actions("Date: 20 October 2026\n\nThe parenting course starts on 19 January 2027. "
                              "You agreed to go on the six-week course together.\n") if "course together" in x.text]
    assert (a.deadline, a.timebound) == ("2027-01-19", True)


_PROGRESS_TABLE = """REVIEW MINUTES
Date of review: 03/02/2027

## Progress since the last review (5 August 2026)

Action | Responsible | Status
Arrange Kai's dental check | Denise Rowe | Done. Seen on 12 October 2026.
Apply for Kai's passport | Helen Tighe | Not done. The signed consent form is still outstanding.
Complete Kai's life story work sessions | Helen Tighe | Carried forward. Three of six done; to finish by 30/04/27.
Safety checks for a sleepover at Lewis's house | Denise Rowe | Not done. No longer needed.

## Actions from this review

Action | Responsible | Target date
Book Kai's optician appointment | Denise Rowe | 28/02/2027
"""


def test_a_progress_tables_row_still_to_do_is_an_action_unless_asked_again_or_dropped() -> None:
    """Issue 19 item 4: a status column annotates a row; a row reported done, or no longer needed, is
    progress; a row still to do is the task's only place in the record."""
    got = {a.text.split(" | ")[0]: a.deadline for a in actions(_PROGRESS_TABLE)}
    assert got == {"Apply for Kai's passport": None, "Complete Kai's life story work sessions": "2027-04-30",
                   "Book Kai's optician appointment": "2027-02-28"}
    again = _PROGRESS_TABLE + "Apply for Kai's passport again | Helen Tighe | 31/03/2027\n"
    texts = [a.text for a in actions(again)]
    assert sum("passport" in t for t in texts) == 1 and any("31/03/2027" in t for t in texts)


@pytest.mark.parametrize("text", [
    "Anyone who disagrees with these decisions should tell the IRO within 5 working days of receiving the minutes.",
    "Please keep it with Tyler's other papers, and ring me if anything in it is not how you remember it.",
])
def test_how_to_disagree_and_what_to_do_with_the_letter_are_not_actions(text) -> None:
    assert actions(text, date="2027-01-12") == []


def test_a_task_for_anyone_who_can_is_still_an_action() -> None:
    assert len(actions("Anyone who can should bring photos by 3 May 2027.", date="2027-01-12")) == 1


@pytest.mark.parametrize("text", [
    "This care plan sets out how Harrowby Vale Council and Ellis's family will meet his needs while he lives in kinship care.",
    "It replaces the plan dated 14 October 2026 and should be read alongside the placement plan.",
    "It is your plan for the next six months, and it says what you want, what we will do to help, and what you will do.",
    "Last September we agreed that you could ring your brother Kyle every Wednesday, and those calls have happened since.",
    "Last summer we agreed that you would move from your foster home to Birchwood House.",
    "At Leo's last review in September it was agreed that he would start swimming lessons; he now goes every Saturday.",
    "If both sessions go well, I will ask my manager to agree unsupervised time from February.",
])
def test_introductions_earlier_agreements_and_a_conditionals_outcome_are_not_actions(text) -> None:
    assert actions(text, date="2027-01-12") == []


def test_a_plans_kind_of_plan_reviewed_at_a_meeting_is_still_an_action() -> None:
    assert len(actions("Your permanence plan will be reviewed at the permanence tracking meeting on or before 6/9/2024.",
                       date="2024-06-01")) == 1


def test_school_nights_is_a_frequency_and_a_past_month_is_no_deadline() -> None:
    a = only("You will revise for your mocks for an hour on school nights, in the study room.", date="2027-01-05")
    assert a.timebound and a.deadline is None
    b = only("Aisha will carry on the life story work with Leo, using the memory box his mum sent in February.", date="2027-03-02")
    assert b.deadline is None
    c = only("A referral will be made in December.", date="2026-11-18")
    assert c.deadline == "2026-12-31"
