"""Whether a clause names a time of its own (`Actors.own_time`) is read only when asked (issue
16): the task rules ask it of few clauses, and reading every clause's times cost a twentieth of
a letter."""

from __future__ import annotations

import pytest

from vanban.extractors import actors as actors_module
from vanban.extractors.actors import Actors, clause_actors
from vanban.extractors.agencies import AgencyRegistry
from vanban.schemas import Agency

DUE = "Sở Y tế chủ trì kiểm tra an toàn thực phẩm, báo cáo kết quả trước ngày 30/4/2026."
RECURRING = "Sở Y tế tổng hợp, báo cáo định kỳ hằng quý."
UNTIMED = "Sở Y tế chủ trì kiểm tra an toàn thực phẩm tại các chợ."


def find(text: str, s: int, e: int) -> list[Agency]:
    return AgencyRegistry.default().find(text, s, e)


def read(text: str) -> Actors:
    return clause_actors(text, 0, len(text), find, recipients=[])


@pytest.mark.parametrize(("text", "timed"), [(DUE, True), (RECURRING, True), (UNTIMED, False)])
def test_a_clause_names_a_time_of_its_own_when_it_has_a_due_date_or_a_recurrence(
    text: str, timed: bool
) -> None:
    assert read(text).own_time is timed


def test_a_clause_s_times_are_read_only_when_its_own_time_is_asked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[tuple[int, int | None]] = []
    real = actors_module.find_times

    def counted(text: str, start: int = 0, end: int | None = None, **kw: object) -> object:
        calls.append((start, end))
        return real(text, start, end, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(actors_module, "find_times", counted)
    actors = read(DUE)
    assert calls == []
    assert actors.own_time
    assert calls == [(0, len(DUE))]


def test_an_own_time_set_by_a_label_is_kept_and_passed_on_by_override() -> None:
    labelled = Actors()
    labelled.own_time = True
    assert Actors().override(labelled).own_time
    assert not labelled.override(read(UNTIMED)).own_time
