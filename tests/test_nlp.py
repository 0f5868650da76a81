"""Sentence splitting: where one unit of a paragraph ends and the next begins."""

from __future__ import annotations

from analyser.ingest import from_text
from analyser.nlp import make_units, split_sentences


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text, 0, len(text))]


def test_full_stops_question_and_exclamation_marks_end_sentences() -> None:
    assert sentences("You live with Sam. You go to school! Is that right? Yes.") == [
        "You live with Sam.", "You go to school!", "Is that right?", "Yes."]


def test_titles_abbreviations_and_initials_do_not_end_a_sentence() -> None:
    assert sentences("Ms. Okafor will visit e.g. at home. Dr. J. Smith agreed.") == [
        "Ms. Okafor will visit e.g. at home.", "Dr. J. Smith agreed."]
    assert sentences("The review is on Tue. 4 March at 10 a.m. in the office.") == [
        "The review is on Tue. 4 March at 10 a.m. in the office."]


def test_a_lower_case_word_after_a_full_stop_continues_the_sentence() -> None:
    assert sentences("Contact is 3x weekly (approx. two hours) with mum.") == [
        "Contact is 3x weekly (approx. two hours) with mum."]


def test_closing_quotes_and_brackets_stay_with_their_sentence() -> None:
    assert sentences('You said "I like it here." Then you laughed. (Mum agreed.) Good.') == [
        'You said "I like it here."', "Then you laughed.", "(Mum agreed.)", "Good."]


def test_a_wrapped_line_continues_and_a_new_thought_on_a_new_line_starts_a_sentence() -> None:
    assert sentences("Jo will book the dental\ncheck by 3 May\nYou like football") == [
        "Jo will book the dental\ncheck by 3 May", "You like football"]
    assert sentences("Health: good;\nmore to do") == ["Health: good;", "more to do"]


def test_spans_are_trimmed_and_offsets_index_the_text() -> None:
    text = "Intro.  \n\n  Second one.   "
    spans = split_sentences(text, 0, len(text))
    assert [text[s:e] for s, e in spans] == ["Intro.", "Second one."]
    inner = split_sentences(text, 10, len(text))  # a block's span inside the record's text
    assert [text[s:e] for s, e in inner] == ["Second one."]


def test_no_sentence_in_blank_text() -> None:
    assert sentences("") == [] and sentences("  \n \n") == []


def test_bullets_without_full_stops_stay_whole_and_headings_are_one_unit() -> None:
    doc = from_text("ACTIONS\n\n- Jo to book the dental check by 3 May\n- Mum to attend. She agreed.\n", source=None)
    units = [(u.kind, u.text) for u in make_units(doc)]
    assert ("heading", "ACTIONS") in units
    assert ("bullet", "Jo to book the dental check by 3 May") in units
    # A bullet holding several full sentences is several units.
    assert ("bullet", "Mum to attend.") in units and ("bullet", "She agreed.") in units


def test_windows_merge_and_mark_the_tokens_whose_whole_context_they_hold() -> None:
    from analyser.nlp import windows

    # Far apart: two windows, each exact only at its centre (cut on both sides).
    assert windows([10, 30], 50, 4) == [(6, 15, 10, 11), (26, 35, 30, 31)]
    # Close: one merged window; at the unit's true edges the exact part runs to the edge.
    assert windows([1, 6], 10, 4) == [(0, 10, 0, 10)]
    assert windows([2, 40], 43, 4) == [(0, 7, 0, 3), (36, 43, 40, 43)]


def test_windowed_tagging_tags_only_the_windows_and_gives_the_whole_units_tags() -> None:
    from analyser import nlp

    text = ("The social worker will arrange a meeting with the school by the end of next month so that Jo "
            "can talk about how things are going at home and at school, and the foster carer will be asked "
            "to come along with the reviewing officer.")
    tokenizer = nlp.get_nlp().tokenizer
    whole = nlp.Tokens(tokenizer(text))
    nlp.tag_units([whole])
    windowed = nlp.Tokens(tokenizer(text))
    old = nlp.set_tagging("window")  # not the default (docs/PERFORMANCE.md)
    try:
        nlp.tag_windows([(windowed, [10, 30])])
    finally:
        nlp.set_tagging(old)
    assert not windowed.tagged
    context = nlp.receptive_field()
    assert context == 4  # en_core_web_sm: four window-1 convolutions
    tagged = [i for i, t in enumerate(windowed) if nlp._has_tag(t)]
    assert tagged == [10, 30]
    assert [windowed[i].tag_ for i in tagged] == [whole[i].tag_ for i in tagged]
    # Reading a token outside the windows tags the whole unit, with the same tags as ever.
    assert windowed[15].tag_ == whole[15].tag_
    assert windowed.tagged and [t.tag_ for t in windowed] == [t.tag_ for t in whole]


def test_windows_covering_most_of_a_unit_tag_it_whole_and_other_modes_tag_whole_units() -> None:
    from analyser import nlp

    tokenizer = nlp.get_nlp().tokenizer
    short = nlp.Tokens(tokenizer("Jo will see the dentist by 3 May."))
    nlp.tag_windows([(short, [1])])
    assert short.tagged
    old = nlp.set_tagging("unit")
    try:
        unit = nlp.Tokens(tokenizer("The social worker will arrange a meeting with the school by the end of next month so that Jo can talk."))
        nlp.tag_windows([(unit, [3])])
        assert unit.tagged
    finally:
        nlp.set_tagging(old)


def test_a_line_wrapped_by_the_layout_continues_even_before_a_capital_or_a_digit() -> None:
    # A PDF's lines wrap wherever the width runs out: inside a date, after "to", before a name.
    text = ("We in the Next Steps Team will send the Staying Put agreement to Ms Achterberg and Kofi by 31\n"
            "March 2026. Lorna Breck will take Kofi to see Harbour House supported lodgings on 19 March\n"
            "2026 so that he knows what it is like. Kofi will do a work taster at the bike works from 7 to\n"
            "21 April during the college Easter break.")
    assert sentences(text) == [
        "We in the Next Steps Team will send the Staying Put agreement to Ms Achterberg and Kofi by 31\nMarch 2026.",
        "Lorna Breck will take Kofi to see Harbour House supported lodgings on 19 March\n2026 so that he knows "
        "what it is like.",
        "Kofi will do a work taster at the bike works from 7 to\n21 April during the college Easter break.",
    ]
    # A long line before another long line, in a paragraph laid out at a width, is one sentence.
    wide = ("Kofi left Eastwick High School last summer and started a Level 1 motor vehicle course at\n"
            "Castlegate College in September.")
    assert sentences(wide) == [wide]


def test_short_lines_and_label_lines_still_start_new_sentences() -> None:
    assert sentences("Young person: Kofi Mensah\nDate of birth: 14/09/2008\nSocial worker: Gavin Stroud") == [
        "Young person: Kofi Mensah", "Date of birth: 14/09/2008", "Social worker: Gavin Stroud"]


def test_a_running_footer_as_wide_as_the_page_does_not_run_into_the_next_line() -> None:
    footer = "Fernholme County Council - Independent Reviewing Service - OFFICIAL-SENSITIVE"
    text = (f"{footer}\nYou told me that school is going better and that you like your new tutor a lot.\n\n"
            f"{footer}\nVoice to help you say what you think. You can ring me on any weekday morning.")
    got = sentences(text)
    assert footer in got and "Voice to help you say what you think." in got


def test_a_sentence_cut_by_a_page_break_is_one_unit() -> None:
    text = ("I would like one of you to come too if you can. Mrs Pennington\n\nwill ask Isla for her views before "
            "the meeting.\n\nThe next paragraph starts here.")
    units = [u.text for u in make_units(from_text(text, source=None)) if u.kind == "sentence"]
    assert "Mrs Pennington\n\nwill ask Isla for her views before the meeting." in units
    assert "The next paragraph starts here." in units
