"""ingest.nlp.spelling: a term's words in British and in American spelling."""

from __future__ import annotations

from ingest.nlp.spelling import respellings


def test_each_spelling_gives_the_other_and_itself() -> None:
    assert respellings("responsible state behaviour") == {
        "responsible state behavior",
        "responsible state behaviour",
    }
    assert "weaponisation of outer space" in respellings("weaponization of outer space")
    assert "center of excellence" in respellings("centre of excellence")
    assert respellings("theatre of operations") >= {"theater of operations"}
    assert respellings("collective defense") >= {"collective defence"}


def test_short_words_are_left_alone() -> None:
    assert respellings("our four hours") == {"our four hours"}
