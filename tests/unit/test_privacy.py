"""Other members' names in a participant's documents become initials (documents.privacy)."""

from facilitator.documents.privacy import Member, redact_names

TESS = Member("Tess", "Ashdown", None)
WILL = Member("William", "Pellham", "Will")
READER = Member("Logan", "Dellacourt", None)


def test_a_full_name_in_any_case_and_spacing_becomes_initials() -> None:
    text = "TESS   ashdown shared; later Ashdown, Tess and Will Pellham agreed."
    assert redact_names(text, [TESS, WILL], READER) == "T.A. shared; later T.A. and W.P. agreed."


def test_a_name_on_its_own_becomes_initials_where_it_is_written_as_a_name() -> None:
    text = "Tess spoke first. Will said he will try; Pellham nodded."
    assert (
        redact_names(text, [TESS, WILL], READER)
        == "T.A. spoke first. W.P. said he will try; W.P. nodded."
    )


def test_part_of_a_longer_word_is_left_alone() -> None:
    assert redact_names("Tessa and Ashdowns", [TESS], READER) == "Tessa and Ashdowns"


def test_a_name_the_reader_shares_is_left_alone_but_a_full_name_is_not() -> None:
    other_logan = Member("Logan", "Redfern", None)
    text = "Logan asked Logan Redfern a question."
    assert redact_names(text, [other_logan], READER) == "Logan asked L.R. a question."


def test_a_name_two_members_share_names_neither() -> None:
    tess_two = Member("Tess", "Fairholm", None)
    text = "Tess agreed with Tess Fairholm today."
    assert redact_names(text, [TESS, tess_two], READER) == "[member] agreed with T.F. today."


def test_nothing_to_hide_leaves_the_text_as_it_is() -> None:
    assert redact_names("Members practised urge surfing.", [], READER) == (
        "Members practised urge surfing."
    )
    assert redact_names("", [TESS], READER) == ""
