"""The term matcher behind review flags and staff mentions: whole words, any capitals."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from chat_review.analysis.lexicon import Lexicon
from chat_review.analysis.matcher import Entry, TermMatcher, _atoms, excerpt
from chat_review.analysis.prefilter import Prefilter, pieces


def found(terms: list[str], *texts: str | None) -> list[tuple[int, str]]:
    """(row, term) for every match, in order."""
    matcher = TermMatcher([Entry(t, "cat", t) for t in terms])
    hits = matcher.scan(pd.Series(list(texts), dtype="string"))
    return list(zip(hits["pos"].tolist(), hits["term"].tolist(), strict=True))


def test_a_whole_word_matches_in_any_capitals() -> None:
    assert found(["idiot"], "what an IDIOT", "Idiot!", "idiot") == [
        (0, "idiot"),
        (1, "idiot"),
        (2, "idiot"),
    ]


def test_a_term_starting_with_a_dotted_capital_i_is_named() -> None:
    # "İ" lower-cases to two characters; the match must still be traced back to its term
    assert found(["idiot"], "what an İDİOT", "İdiot!") == [(0, "idiot"), (1, "idiot")]


def test_a_word_inside_another_word_does_not_match() -> None:
    assert found(["kill"], "great skill", "killer", "skilled") == []


def test_a_trailing_star_matches_word_endings() -> None:
    assert found(["kill*"], "killing time", "kill", "skill") == [(0, "kill*"), (1, "kill*")]


def test_an_inner_star_is_a_literal_asterisk() -> None:
    assert found(["f*ck*"], "f*cking hell", "fuck") == [(0, "f*ck*")]


def test_a_phrase_matches_across_spaces_and_line_breaks() -> None:
    assert found(["watch your back"], "watch  your\nback", "watch your backpack") == [
        (0, "watch your back")
    ]


def test_terms_with_apostrophes_match() -> None:
    assert found(["you'll regret"], "You'll regret this") == [(0, "you'll regret")]


def test_a_shorter_term_at_the_same_place_is_found_too() -> None:
    assert found(["complaint", "complaint outcome"], "the complaint outcome was") == [
        (0, "complaint"),
        (0, "complaint outcome"),
    ]


def test_a_wildcard_term_is_found_where_a_longer_phrase_also_starts() -> None:
    assert found(["kill*", "kill you"], "I will kill you") == [(0, "kill*"), (0, "kill you")]


def test_overlapping_phrases_are_both_found() -> None:
    assert found(["shut up", "up yours"], "shut up yours") == [(0, "shut up"), (0, "up yours")]


def test_a_letter_with_an_accent_before_a_term_is_part_of_the_word() -> None:
    assert found(["lie"], "élie", "ölie", "lie") == [(2, "lie")]


def test_a_term_right_after_punctuation_or_at_the_start_matches() -> None:
    assert found(["idiot"], "(idiot)", '"idiot"', "idiot.", "\u2068idiot\u2069") == [
        (0, "idiot"),
        (1, "idiot"),
        (2, "idiot"),
        (3, "idiot"),
    ]


def test_two_terms_side_by_side_both_match() -> None:
    assert found(["idiot", "useless"], "useless idiot") == [(0, "useless"), (0, "idiot")]


def test_an_at_sign_mention_matches() -> None:
    assert found(["@447700900123"], "hi @447700900123 ok", "@4477009001234") == [
        (0, "@447700900123")
    ]


def test_missing_texts_and_empty_input_never_match() -> None:
    assert found(["idiot"], None, "") == []
    assert found(["idiot"]) == []


def test_a_capital_that_lower_cases_to_two_characters_does_not_shift_rows() -> None:
    # "İ".lower() is two characters; positions must still map to the right row
    assert found(["idiot"], "İİİ", "an idiot") == [(1, "idiot")]


def test_start_offsets_point_at_the_term_in_its_own_text() -> None:
    matcher = TermMatcher([Entry("idiot", "insult", "idiot")])
    hits = matcher.scan(np.array(["xx", "you idiot"], dtype=object))
    assert hits[["pos", "start"]].values.tolist() == [[1, 4]]


def test_one_term_in_two_categories_reports_both() -> None:
    matcher = TermMatcher([Entry("police", "threat", "police"), Entry("police", "conf", "police")])
    hits = matcher.scan(pd.Series(["call the police"]))
    assert sorted(hits["category"]) == ["conf", "threat"]


def test_excerpt_keeps_short_messages_whole_on_one_line() -> None:
    assert excerpt("You are\nan idiot", 11) == "You are an idiot"


def test_excerpt_cuts_long_messages_around_the_term() -> None:
    text = "a" * 200 + " idiot " + "b" * 200
    ex = excerpt(text, 201)
    assert "idiot" in ex and ex.startswith("…") and ex.endswith("…")
    assert len(ex) <= 122


def test_default_lexicon_is_read_from_package_data() -> None:
    lex = Lexicon.default()
    assert lex.source == "built-in lexicon"
    assert "useless" in lex.categories["insult"]
    assert lex.descriptions["threat"]


def test_default_lexicon_copies_are_independent() -> None:
    a = Lexicon.default()
    a.categories["insult"].append("zzz")
    assert "zzz" not in Lexicon.default().categories["insult"]


def test_a_term_with_accents_matches_in_capitals() -> None:
    assert found(["zoë"], "ZOË said", "Zoë", "zoe") == [(0, "zoë"), (1, "zoë")]


def test_texts_with_emoji_are_matched_and_positions_stay_right() -> None:
    matcher = TermMatcher([Entry("idiot", "insult", "idiot")])
    hits = matcher.scan(pd.Series(["😡😡", "😡 idiot 😡", "fine"]))
    assert hits[["pos", "start"]].values.tolist() == [[1, 2]]


def test_a_term_followed_by_an_emoji_matches() -> None:
    assert found(["idiot*"], "idiot😡", "idiots😡") == [(0, "idiot*"), (1, "idiot*")]


def test_a_text_containing_nul_falls_back_to_the_exact_search() -> None:
    assert found(["idiot"], "a\x00b", "an idiot") == [(1, "idiot")]


def test_a_row_holding_only_part_of_a_word_of_the_term_is_not_a_candidate() -> None:
    # the prefilter looks a term up by its rarest word ("coming" here: "for" and "you" are in
    # every row) and compares that whole word, capitals aside, not just three letters of it
    terms = [pieces(t) for t in ("coming for you", "idiot")]
    texts = np.array(["come for you", "COMING for you", "comic for you", "an Idiot", "idio"],
                     dtype=object)
    assert Prefilter(terms).rows(texts).tolist() == [1, 3]


def test_a_kelvin_sign_spelling_is_still_found() -> None:
    # "\u212a".lower() is "k": the exact search finds it, so the prefilter must not drop it
    assert found(["kill"], "\u212aill you", "skill") == [(0, "kill")]


def test_a_dotted_capital_i_elsewhere_makes_the_search_ignore_case_in_every_row() -> None:
    assert found(["idiot", "kill"], "kİll", "an idiot", "\u212aILL") == [
        (0, "kill"), (1, "idiot"), (2, "kill")]


def test_two_letter_words_are_found_whole_with_the_prefilter_on() -> None:
    # "Ms Ng" has no three-letter run; the prefilter looks it up by a two-letter word, whole
    matcher = TermMatcher([Entry("ms ng", "staff-named", "Ms Ng"), Entry("idiot", "c", "idiot")])
    texts = np.array(["ask ms ng", "MS  NG!", "msng", "ms ngx", "an idiot"], dtype=object)
    assert matcher._candidates(texts) is not None
    assert matcher.scan(texts)["pos"].tolist() == [0, 1, 4]


PIECES = ["idiot", "IDIOT", "kill", "killing", "you", "shut", "up", "yours", "lie", "élie",
          "ÉLIE", "so", "sofa", "k*t", "kit", "cat", "Cat", "😡", " ", " ", " ", "\n", ".", "é",
          "x", "_", "'", "*", "shut up", " yours", "kill you", "\u212a", "İ", "ill", "ot",
          "ms", "ng", "ok", "OK", "book", "zoë", "ZOË", "zo"]
TERMS = ["idiot", "kill*", "kill you", "shut up", "up yours", "lie", "élie", "so*", "k*t", "cat",
         "ms ng", "ok", "zoë", "ok*"]
# texts glued from pieces, so that terms, near-misses and odd neighbours all occur
TEXTS = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)


@settings(max_examples=400, deadline=None)
@given(
    texts=st.lists(TEXTS, max_size=8),
    terms=st.lists(st.sampled_from(TERMS), min_size=1, max_size=4, unique=True),
)
def test_scan_agrees_with_one_regex_per_message_and_term(texts, terms) -> None:
    """The reference: whole-word, case-insensitive search of each term in each message."""
    expected = set()
    for row, text in enumerate(texts):
        for term in terms:
            own = "".join(_atoms(term))
            if re.search(rf"(?<!\w){own}(?!\w)", text, re.IGNORECASE):
                expected.add((row, term))
    assert set(found(terms, *texts)) == expected


def test_missing_texts_in_a_plain_array_never_match_and_keep_rows_in_place() -> None:
    matcher = TermMatcher([Entry("idiot", "insult", "idiot")])
    texts = np.array([None, "an idiot", float("nan"), pd.NA, "idiot"], dtype=object)
    assert matcher.scan(texts)[["pos", "start"]].values.tolist() == [[1, 3], [4, 0]]
