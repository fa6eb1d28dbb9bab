"""Searching names and texts the same on SQLite and PostgreSQL, case and «ё» folded.

A column kept normalised (`Recipient.search_text`) is searched with a plain `contains` of the
normalised words. For a column stored as typed, the text is folded in SQL (lower case, «ё» as
«е»); SQLite's LOWER() folds only ASCII, so each word is also looked for as typed in a name
(«Смирнов») and in capitals: what a person types into a search box finds what they mean on both
databases.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar, cast

from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Lower, Replace

QS = TypeVar("QS", bound=models.QuerySet[Any])


def normalise(text: str) -> str:
    """Lower case with «ё» as «е», spaces collapsed: the stored form of a search column."""
    return " ".join(text.lower().replace("ё", "е").split())


def words(query: str) -> list[str]:
    return [w for w in re.split(r"[\s,;]+", normalise(query)) if w][:6]


def _folded(field: str) -> Replace:
    text = models.TextField()
    lower = Lower(field, output_field=text)
    return Replace(
        Replace(lower, Value("ё"), Value("е"), output_field=text),
        Value("Ё"),
        Value("Е"),
        output_field=text,
    )


def folded_search(qs: QS, fields: list[str], query: str) -> QS:
    """Rows of `qs` where every word of `query` occurs in one of `fields` (same queryset class
    back, so a scoped queryset keeps its methods)."""
    names = {f: f"_folded_{i}" for i, f in enumerate(fields)}
    qs = cast(QS, qs.annotate(**{alias: _folded(f) for f, alias in names.items()}))
    for word in words(query):
        forms = {word, word.capitalize(), word.upper()}
        match = Q()
        for alias in names.values():
            for form in forms:
                match |= Q(**{f"{alias}__contains": form})
        qs = cast(QS, qs.filter(match))
    return qs
