"""`_head_len` keeps its definition when made faster: the longest body head (lexicon
`body_heads`) that the tokens from j spell, tried from the longest, else 0."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from vanban.extractors.agencies import _BODY_HEADS, _MAX_HEAD, _head_len

WORDS = sorted({w for h in _BODY_HEADS for w in h} | {"các", ",", "xây", "dựng"})


def _head_by_definition(toks: list[str], j: int) -> int:
    # `len(toks[j : j + n]) == n`: a slice the text's end cuts short is no head of n words
    return next(
        (
            n
            for n in range(_MAX_HEAD, 0, -1)
            if len(toks[j : j + n]) == n and tuple(toks[j : j + n]) in _BODY_HEADS
        ),
        0,
    )


# Tokens drawn as loose words or as whole heads: 20 draws of loose words alone rarely spell a head.
TOKENS = st.lists(
    st.one_of(st.sampled_from(WORDS).map(lambda w: [w]), st.sampled_from(sorted(_BODY_HEADS))),
    max_size=6,
).map(lambda parts: [w for part in parts for w in part])


@given(TOKENS, st.integers(0, 11))
def test_the_head_at_a_token_is_the_longest_head_its_words_spell(toks: list[str], j: int) -> None:
    assert _head_len(toks, j) == _head_by_definition(toks, j)


def test_every_head_is_read_where_it_stands() -> None:
    for head in _BODY_HEADS:
        assert _head_len(["các", *head], 1) == _head_by_definition(["các", *head], 1) > 0


def test_a_body_head_is_read_whole() -> None:
    head = max(_BODY_HEADS, key=len)
    assert _head_len(["các", *head, "x"], 1) == len(head)
    assert _head_len(["các", "x", *head], 1) == 0
