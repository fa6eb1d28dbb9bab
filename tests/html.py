"""What a browser would lay out, read from a page's HTML without one."""

from __future__ import annotations

from html.parser import HTMLParser

_VOID = {"area", "br", "col", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _Tables(HTMLParser):
    """Each <table> of a page and whether it sits in a `.table-responsive` box."""

    def __init__(self) -> None:
        super().__init__()
        self.boxes: list[bool] = []  # the open elements: True for a .table-responsive one
        self.tables: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        if tag == "table":
            self.tables.append(any(self.boxes))
        self.boxes.append("table-responsive" in classes)

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID and self.boxes:
            self.boxes.pop()


def tables_in_boxes(html: str) -> bool:
    """The page has tables and each scrolls in its own `.table-responsive` box: a wide one does
    not push the whole page sideways on a tablet (800 px)."""
    parser = _Tables()
    parser.feed(html)
    return bool(parser.tables) and all(parser.tables)
