"""claims.review.words: word-level comparison for the review pages."""

from claims.review.words import Segment, rendered_text, shortened, word_diff


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


def test_a_replaced_phrase_is_one_deletion_and_one_insertion():
    diff = word_diff("People remain stranded.", "Families still wait.")
    assert diff.old == (Segment("delete", "People remain stranded."),)
    assert diff.new == (Segment("insert", "Families still wait."),)


def test_shortened_keeps_the_change_in_its_sentence():
    before = " ".join(f"w{n}" for n in range(40))
    after = before.replace("w20", "CHANGED")
    diff = shortened(word_diff(before, after))
    new = "".join(s.text for s in diff.new)
    assert new == ("… w12 w13 w14 w15 w16 w17 w18 w19 CHANGED w21 w22 w23 w24 w25 w26 w27 w28 …")
    assert [s.text for s in diff.old if s.kind == "delete"] == ["w20"]


def test_very_long_texts_are_compared_by_lines():
    before = "\n".join(f"line {n} " + "word " * 30 for n in range(200))
    after = before.replace("line 100 ", "line one hundred ")
    diff = word_diff(before, after)
    assert "".join(s.text for s in diff.new) == after
    [deleted] = [s.text for s in diff.old if s.kind == "delete"]
    assert deleted.startswith("line 100 word") and deleted.count("\n") == 1
