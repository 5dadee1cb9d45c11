"""claims.review.words: word-level comparison for the review pages."""

from claims.review.words import Segment, rendered_text, word_diff


def test_changed_words_are_marked_on_each_side():
    diff = word_diff("The border crisis is over.", "The border crisis is not over.")
    assert diff.changed
    assert Segment("insert", "not ") in diff.new
    assert [s for s in diff.old if s.kind == "delete"] == []
    assert "".join(s.text for s in diff.old) == "The border crisis is over."
    assert "".join(s.text for s in diff.new) == "The border crisis is not over."


def test_replaced_word_is_deleted_on_the_old_side_and_inserted_on_the_new():
    diff = word_diff("Peru deployed 180 officers.", "Peru deployed 200 officers.")
    assert [s.text for s in diff.old if s.kind == "delete"] == ["180"]
    assert [s.text for s in diff.new if s.kind == "insert"] == ["200"]


def test_identical_texts_have_no_change():
    diff = word_diff("Same words.", "Same words.")
    assert not diff.changed
    assert diff.old == diff.new == (Segment("equal", "Same words."),)


def test_everything_is_new_against_nothing():
    diff = word_diff("", "A new claim.")
    assert diff.old == ()
    assert diff.new == (Segment("insert", "A new claim."),)


def test_rendered_text_is_what_a_reader_reads():
    text = rendered_text("Two **reports** count [people](https://example.org).\n\n- one\n- two")
    assert text == "Two reports count people.\none\ntwo"


def test_rendered_text_drops_scripts_the_page_would_drop():
    assert "alert" not in rendered_text("Hi <script>alert(1)</script>")
