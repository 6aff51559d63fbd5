"""Walking up a parsed page: the one bounded climb the extractor's stages share."""

from __future__ import annotations

from collections.abc import Iterator

from selectolax.lexbor import LexborNode


def ancestors(node: LexborNode | None, limit: int) -> Iterator[LexborNode]:
    """The node's parents, nearest first, at most ``limit`` of them.

    The bound matters: real pages nest thousands deep after a broken tag, and every caller
    only cares about the few levels around a block.
    """
    parent = node.parent if node is not None else None
    for _ in range(limit):
        if parent is None:
            return
        yield parent
        parent = parent.parent


def ancestor_ids(node: LexborNode | None, limit: int) -> set[int]:
    """``mem_id`` of each of ``ancestors(node, limit)``, for meeting tests between two nodes."""
    return {parent.mem_id for parent in ancestors(node, limit)}


def by_tag(root: LexborNode, groups: list[tuple[str, frozenset[str]]]) -> list[list[LexborNode]]:
    """For each (selector, the tags its matches have), the matches under root in page order.

    One selector list walks the tree once where one selector each walks it once each. The tag
    sets must not overlap; a match whose tag is in none (a spelling lexbor matched that the
    sets do not name) falls back to one query per selector."""
    found: list[list[LexborNode]] = [[] for _ in groups]
    bucket_of = {tag: bucket for (_, tags), bucket in zip(groups, found, strict=True) for tag in tags}
    for node in root.css(", ".join(selector for selector, _ in groups)):
        bucket = bucket_of.get(node.tag or "")
        if bucket is None:
            return [root.css(selector) for selector, _ in groups]
        bucket.append(node)
    return found
