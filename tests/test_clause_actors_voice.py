"""A clause's actors read once for both `voiced` (issue 16): `voiced` changes them only where
a clause opens with a request, and `voiced_clause_actors` says whether one does."""

from __future__ import annotations

import pytest

from vanban.extractors import tasks
from vanban.extractors.actors import clause_actors, voiced_clause_actors
from vanban.extractors.agencies import AgencyRegistry
from vanban.schemas import Agency

NAMED = "Sở Y tế chủ trì kiểm tra an toàn thực phẩm, báo cáo kết quả trước ngày 30/4/2026."
ASKING = "Yêu cầu các đơn vị trực thuộc kiểm tra an toàn thực phẩm tại các chợ."


def find(text: str, s: int, e: int) -> list[Agency]:
    return AgencyRegistry.default().find(text, s, e)


def read(text: str, voiced: bool) -> tuple[list[str], bool]:
    actors, voice_read = voiced_clause_actors(
        text, 0, len(text), find, recipients=[], voiced=voiced
    )
    return [a.name for a in actors.lead], voice_read


def test_a_clause_that_opens_with_no_request_reads_the_same_either_voice() -> None:
    assert read(NAMED, True) == read(NAMED, False) == (["Sở Y tế"], False)
    assert clause_actors(NAMED, 0, len(NAMED), find, recipients=[], voiced=True) == (
        clause_actors(NAMED, 0, len(NAMED), find, recipients=[])
    )


def test_a_clause_that_opens_with_a_request_says_the_voice_was_read() -> None:
    (unvoiced, read_unvoiced), (voiced, read_voiced) = read(ASKING, False), read(ASKING, True)
    assert read_unvoiced and read_voiced
    assert unvoiced != voiced  # the letter asks the units; under a named body, that body does


@pytest.mark.parametrize(("text", "reads"), [(NAMED, 1), (ASKING, 2)])
def test_a_span_asked_with_both_voices_is_read_once_unless_the_voice_counts(
    monkeypatch: pytest.MonkeyPatch, text: str, reads: int
) -> None:
    calls: list[bool] = []

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(bool(kwargs["voiced"]))
        return voiced_clause_actors(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(tasks, "voiced_clause_actors", counted)
    ctx = tasks.TaskContext(text, find, [], None, None, "doc", (), None, [])
    first = tasks._actors(ctx, 0, len(text), voiced=False)
    second = tasks._actors(ctx, 0, len(text), voiced=True)
    assert len(calls) == reads
    if reads == 1:
        assert first == second
