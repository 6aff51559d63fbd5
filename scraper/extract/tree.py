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
