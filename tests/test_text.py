"""Tokens and sentence splitting."""

from onestop.text import distinct_named, names_any, sentences, stem, tokens


def test_sentences_split_on_full_stops_but_not_abbreviations() -> None:
    text = "Employers pay nothing. The grant pays, e.g. for equipment. See s. 60 of the Act."
    assert sentences(text) == ["Employers pay nothing.", "The grant pays, e.g. for equipment.", "See s. 60 of the Act."]


def test_list_items_are_separate_sentences() -> None:
    assert sentences("Options:\n- phased return\n- altered hours") == ["Options:", "phased return", "altered hours"]


def test_tokens_drop_stopwords_and_stem() -> None:
    assert tokens("Who pays for the adjustments?") == ["pay", "adjustment"]
    assert stem("policies") == "policy" and stem("class") == "class"
    assert "£123.25" in tokens("SSP is £123.25 a week")


def test_names_any_matches_whole_words_and_phrases_only() -> None:
    phrases = ("kill himself", "od", "sick")
    assert names_any("He told me he’d kill himself", phrases)
    assert names_any("Off SICK since Monday", phrases)
    assert not names_any("a period of sickness", phrases)  # "sick" is not a whole word here
    assert not names_any("the odd day off", phrases)
    assert not names_any("anything at all", ())


def test_distinct_named_counts_different_words_not_repeats() -> None:
    danger = ("blood*", "breath*", "chest")
    assert distinct_named("his chest is tight and his breathing is shallow", danger) == 2
    assert distinct_named("blood on the floor, blood on his sleeve", danger) == 1  # the same word twice
    assert distinct_named("a bloodless coup", ("blood",)) == 0 and distinct_named("anything", ()) == 0
