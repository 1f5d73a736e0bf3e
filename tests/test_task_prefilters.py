"""Rules that read an item's bodies only when a cheap test of its words lets them matter
(issue 16): the answer is the same, the agency scan is spared for most items."""

from __future__ import annotations

from vanban.extractors import tasks
from vanban.extractors.agencies import AgencyRegistry
from vanban.schemas import Agency


class CountedFind:
    """The registry's `find`, with the spans it was asked for."""

    def __init__(self) -> None:
        self.asked: list[tuple[int, int]] = []

    def __call__(self, text: str, s: int, e: int) -> list[Agency]:
        self.asked.append((s, e))
        return AgencyRegistry.default().find(text, s, e)


def context(text: str, issuer: str | None = None) -> tuple[tasks.TaskContext, CountedFind]:
    find = CountedFind()
    body = Agency(name=issuer, raw=issuer) if issuer else None
    return tasks.TaskContext(text, find, [], body, None, "doc", (), None, []), find


def test_the_issuers_own_proposal_is_told_from_a_request_to_a_body() -> None:
    own = "Bộ Tài chính đề xuất điều chuyển kế hoạch vốn năm 2026 cho các dự án."
    asks = "Bộ Tài chính đề nghị Sở Xây dựng điều chuyển kế hoạch vốn năm 2026."
    for text, proposes in ((own, True), (asks, False)):
        ctx, _ = context(text, "Bộ Tài chính")
        assert tasks._issuer_proposes(ctx, 0, len(text)) is proposes


def test_an_item_with_no_proposal_word_is_no_proposal_and_its_bodies_are_not_read() -> None:
    text = "Bộ Tài chính tổng hợp kế hoạch vốn năm 2026 của các bộ, ngành, địa phương."
    ctx, find = context(text, "Bộ Tài chính")
    assert not tasks._issuer_proposes(ctx, 0, len(text))
    assert find.asked == []
