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


def test_the_author_from_a_table_row_a_bold_label_or_a_line_that_names_the_service() -> None:
    row = "Pathway Plan\nYoung person | Connor Maguire\nCompleted by | Shona Pritchard (Social Worker)\nPA | Allocate PA | Team Manager\n"
    assert _read(row, "Connor", "pathway_plan").author.name == "Shona Pritchard"
    bold = "Pathway plan\n**Written by** Bex Carter, Social Worker (16+ Team)\nYou live in Leeds.\n"
    assert _read(bold, "Zain", "pathway_plan").author.name == "Bex Carter"
    closing = "Pathway Plan\nTyler lives with Rob.\n\n*Prepared by Nikhil Sharma, Social Worker, Greywater Children's Services*\n"
    assert _read(closing, "Tyler", "pathway_plan").author.name == "Nikhil Sharma"
    initial = "Review\nCompleted by: S. Tranter (PA)\nYP remains at Hollis Court.\n"
    assert _read(initial, "Leon", "pathway_plan").author.name == "S. Tranter"


def test_a_last_line_naming_writer_and_role_is_the_author_and_a_first_name_gets_its_surname() -> None:
    text = "CLA Care Plan\nCYP: Kacper Nowak\nCYP to remain at Ashgrove.\n\nD. Pearce, SW\n"
    assert _read(text, "Kacper", "care_plan").author.name == "D. Pearce"
    letter = ("Hello Isla,\n\nI am your social worker and my name is Priya Chandran. This plan explains what "
              "everyone is going to do.\n\nFrom Priya\n")
    a = _read(letter, "Isla", "care_plan").author
    assert a is not None and a.name == "Priya Chandran"


def test_nobody_is_the_author_when_the_role_field_names_no_one_yet() -> None:
    text = "Pathway Plan\nYoung person | Reece Hall\nPersonal adviser | Not yet allocated\nReece lives in Leeds.\n"
    a = _read(text, "Reece", "pathway_plan").author
    assert a is None or a.name not in ("Not", "Not yet allocated")


def test_the_service_we_stands_for_is_the_one_the_record_names_with_we_at() -> None:
    """A letterhead naming the council does not outrank "We at Harrowfield Children's Services ..." in the
    text; "We" opens a sentence as often as not; "16+" is part of a service's name."""
    text = ("**Harrowfield Borough Council – Children in Care Service**\nDate: 01/03/2025\n\n"
            "Sometimes you feel worried at bedtime. We at Harrowfield Children's Services asked the Little Oaks "
            "team to help.\n\nWe will pay for the sessions.\n")
    assert _read(text, child="Isla", doc_type="care_plan").service == "Harrowfield Children's Services"
    sixteen = "Ashcombe Borough Council\n\n- We at Ashcombe 16+ Service will pay for your passport.\n"
    assert _read(sixteen, child="Zain", doc_type="pathway_plan").service == "Ashcombe 16+ Service"


def test_an_attendance_table_row_names_a_relation() -> None:
    """"Carla Dunne | Your mum" in the table of who came: "Your mum" in the action table is Carla Dunne."""
    text = ("Who came\nName | Role\nMaisie | You\nCarla Dunne | Your mum\nLewis Amankwah | Your social worker\n\n"
            "Tell Lewis which Saturdays she can do | Your mum | by 12 December 2025\n")
    d = _read(text, child="Maisie")
    assert [(p.name, p.role) for p in d.people if p.role == "mum"] == [("Carla Dunne", "mum")]
    assert d.relation("Your mum") == "Carla Dunne (mum)"


def test_a_named_service_is_preferred_to_its_council_and_never_spans_two_lines() -> None:
    text = ("Calderbrook Metropolitan Borough Council\nLeaving Care Team\n\nPathway plan for Marcus\n\n"
            "We will pay his setting-up home allowance.\n\nJo Bell, Personal Adviser, Calderbrook Leaving Care Team\n")
    assert _read(text, child="Marcus", doc_type="pathway_plan").service == "Calderbrook Leaving Care Team"
    council = "Fenmoor County Council\n\nWe will pay for the bus pass.\n"
    assert _read(council, child="Kayden", doc_type="care_plan").service == "Fenmoor County Council"


def test_a_team_named_on_a_signature_line_is_what_we_stands_for_not_the_iro_service() -> None:
    text = ("Thornbury Vale Council – Moving On Team\n\nPathway plan for Jade\n\nWe will pay for your bus pass.\n\n"
            "Aisha Rahimi\nPersonal Adviser, Thornbury Vale Moving On Team\n")
    assert _read(text, child="Jade", doc_type="pathway_plan").service == "Thornbury Vale Moving On Team"
    iro = ("Stourmere Borough Council\nIndependent Reviewing Service\n\nDear Kacper,\n\nWe agreed you will stay.\n")
    assert _read(iro, child="Kacper", doc_type="review_minutes").service == "Stourmere Borough Council"


def test_they_after_an_organisation_is_that_organisation() -> None:
    text = ("Pathway plan for Kyle\n\nReferral to Fenby Housing Options completed 10/12/24. They will contact Kyle "
            "when a property becomes available.\n")
    d = _read(text, child="Kyle", doc_type="pathway_plan")
    at = text.index("They will")
    assert d.resolve("They", at, text.index("Referral")) == "Fenby Housing Options"


def test_a_bracketed_role_with_a_place_names_the_person() -> None:
    text = ("Review minutes for Callum. Date: 01/03/2025.\n\nPresent: Callum; Dee Campbell (keyworker, Oak Lodge).\n\n"
            "Dee Campbell reported that Callum has had two missing episodes since his move. She will send the "
            "incident summary every Friday.\n")
    d = _read(text, child="Callum")
    at = text.index("She will")
    assert d.resolve("She", at, text.index("Dee Campbell reported")) == "Dee Campbell (key worker)"


def test_a_wrapped_line_starting_with_to_is_no_salutation() -> None:
    text = ("Pathway plan for Tyrese Bamford\nDate: 20/04/2026\n\nTyrese, this is your pathway plan. You said you would\n"
            "rather stay near Cliff Road so you can still walk\nto your mum's.\nI will bring your bus pass by 24 April.\n")
    d = _read(text, child="Tyrese", doc_type="pathway_plan")
    assert d.addressee.role == "child"


def test_a_name_said_to_hold_a_role_is_who_she_means() -> None:
    text = "Dear Jayden,\n\nBethany is your social worker. She will take you and Leon for a day out.\n"
    d = _read(text, child="Jayden")
    at = text.index("She will")
    assert d.resolve("She", at, text.index("Bethany")) == "Bethany (social worker)"


def test_a_full_name_then_a_first_name_as_subject_is_who_she_means() -> None:
    text = ("Dear Reuben,\n\nYou have lived with Ruth Adeyemi in Crossley Bank since May 2025.\n\n"
            "Ruth has been fostering for eleven years. She will help you open a bank account.\n")
    d = _read(text, child="Reuben", doc_type="care_plan")
    at = text.index("She will")
    assert d.resolve("She", at, text.index("Ruth has")) == "Ruth Adeyemi"


def test_kinship_carers_are_carers_and_a_signature_role_line_names_a_team() -> None:
    text = ("Dear Mr and Mrs Whitcombe,\n\nThank you for your time. We are the team that supports you as Poppy's "
            "kinship carers.\n\nYours sincerely,\nGareth Pryce\nSupervising Social Worker, Kinship Team\n")
    d = _read(text, child="Poppy", doc_type="care_plan")
    assert d.addressee.role == "carer"
    assert d.author is not None and (d.author.name, d.author.role) == ("Gareth Pryce", "supervising social worker")


def test_foster_carers_by_title_are_not_a_parent_with_the_same_title() -> None:
    text = ("Dear Mr and Mrs Pennington,\n\nIsla has come on a great deal since she came to live\nwith you in March. "
            "Her dad, Mr Thornton, rang me.\n")
    d = _read(text, child="Isla")
    assert d.addressee.role == "carer"


PLAN_WITH_ROLES = """Care plan for Aisha

Social worker: Nadia Fennimore
IRO: Marian Feltham

Action | Who | When
Book your dental check-up | SW | 5 February 2027
Write to Aisha about her review | The IRO | 17/11/2026
Ask Mum's social worker about the flat | Mum's social worker | 1 March 2027
"""


def test_a_role_word_is_the_one_person_the_record_names_in_that_role() -> None:
    d = _read(PLAN_WITH_ROLES, doc_type="care_plan")
    at = PLAN_WITH_ROLES.index("| SW")
    assert d.resolve("SW", at, at) == "Nadia Fennimore (SW)"
    assert d.resolve("The IRO", at, at) == "Marian Feltham (IRO)"
    assert d.resolve("your social worker", at, at) == "Nadia Fennimore (social worker)"
    # Someone else's social worker, and a role nobody is named in, stay as written.
    assert d.resolve("Mum's social worker", at, at) is None
    assert d.resolve("PA", at, at) is None


def test_a_role_word_two_people_hold_is_not_resolved() -> None:
    text = PLAN_WITH_ROLES.replace("IRO: Marian Feltham", "From March, Tom Hale is your social worker.")
    d = _read(text, doc_type="care_plan")
    assert d.resolve("SW", 0, 0) is None


def test_mum_in_a_letter_to_the_mother_is_the_mother_and_your_mum_is_not() -> None:
    letter = ("Dear Ms Pryce,\n\nThank you for coming to Ellie-Mae's meeting.\n\n"
              "Action | Who | When\nRing Ellie-Mae at 6pm | Mum | Every Wednesday\n\nKind regards,\nMarcus Delaney\nSocial Worker\n")
    d = _read(letter, child="Ellie-Mae", doc_type="care_plan")
    assert d.addressee.role == "parent"
    at = letter.index("| Mum")
    assert d.resolve("Mum", at, at) == "Ms Pryce (Mum)"
    assert d.resolve("your mum", at, at) is None
    assert d.resolve("Dad", at, at) is None  # Ms Pryce is not the father


def test_a_record_of_no_known_type_does_not_take_a_person_without_a_role_as_its_writer() -> None:
    text = "Isla's PEP is on 12 November 2026. I will be there. Mrs Pennington\n\nwill ask Isla for her views.\n"
    d = _read(text, child="Isla", doc_type="other")
    assert d.author is None
    assert d.resolve("I", text.index("I will"), 0) is None


def test_a_bare_from_line_opens_the_signature() -> None:
    text = ("Dear Kai,\n\nThank you for coming to your review. I will write to your dad by 12 March.\n\n"
            "Take care, and good luck in the football tournament.\n\nFrom\nMargaret Oyelaran\nIndependent Reviewing Officer\n")
    d = _read(text, child="Kai")
    assert d.author is not None and (d.author.name, d.author.role) == ("Margaret Oyelaran", "IRO")


def test_two_weekdays_are_not_two_people_and_a_school_is_what_they_points_back_to() -> None:
    text = ("Dear Joanne and Phil,\n\nThank you both for your time at the supervision visit. Ellie has now been with "
            "you for seven months.\n\nEllie's school, Ashgrove Primary, has offered her a place in their nurture group "
            "on Monday and Wednesday afternoons. They will start her in the group w/c 10 May.\n")
    d = _read(text, child="Ellie", doc_type="other")
    assert d.addressee.role == "carer"
    at = text.index("They will")
    assert d.resolve("They", at, text.rindex("\n\n", 0, at)) == "Ashgrove Primary"


def test_a_role_said_to_be_the_readers_is_still_the_role() -> None:
    text = ("**Written by:** Jo Whitfield, your social worker, Ashcombe Borough Council\n\n"
            "Need | What will happen | Who | By when\nSchool | Ask Mrs Dunmore about a reading buddy | SW | 31 January 2027\n")
    d = _read(text, child="Ruby", doc_type="care_plan")
    assert d.author is not None and d.author.role == "social worker"
    assert d.resolve("SW", text.index("| SW"), 0) == "Jo Whitfield (SW)"


def test_a_role_field_may_name_the_workplace_before_the_name() -> None:
    text = "Key worker at Larch House: Dev Kapoor (DK)\n\nOutcome | Action | Responsible | Timescale\nFamily | Supervise family time | Key worker | Every other Saturday\n"
    d = _read(text, child="Maisie", doc_type="care_plan")
    assert d.resolve("Key worker", text.index("| Key worker"), 0) == "Dev Kapoor (Key worker)"


def test_a_bracket_glossing_we_does_not_hide_it() -> None:
    text = "Castlebridge City Council\n\nDear Ms Hart,\n\nWe (the council) will pay for your bus pass.\n"
    d = _read(text, child="Poppy")
    assert d.resolve("We (the council)", text.index("We ("), 0) == d.service == "Castlebridge City Council"


def test_the_visiting_worker_writes_the_visit_record() -> None:
    text = ("Statutory Visit Record\n\nChild: Hana Tesfaye (7)\nDate of visit: 24/10/2023\n"
            "Visiting worker: Oliver Bates, social worker\n\nI will ring Mrs Hall by Friday 27 October.\n")
    d = _read(text, child="Hana", doc_type="other")
    assert d.author is not None and (d.author.name, d.author.role) == ("Oliver Bates", "social worker")


def test_an_attendance_table_names_people_in_their_roles() -> None:
    text = ("### Attendance\n\n| Name | Role | Attended |\n|---|---|---|\n"
            "| Farah Qureshi | Social worker (SW), Castlebridge Children in Care Team | Yes |\n"
            "| Kerry Dunmore | Mother | Yes, by Teams |\n\n### Actions\n\n| No. | Action | Lead | Due |\n|---|---|---|---|\n"
            "| 2 | Send the passport application | SW | By 26/02/27 |\n| 3 | Ring the school | Dad to ring | 1 March |\n")
    d = _read(text, child="Rosie", doc_type="review_minutes")
    roles = {p.name: p.role for p in d.people}
    assert roles.get("Farah Qureshi") == "social worker" and roles.get("Kerry Dunmore") == "mother"
    assert d.resolve("SW", text.index("| SW"), 0) == "Farah Qureshi (SW)"
    assert "Ring the school" not in roles  # a task cell is no role
