"""Template filters of patronage documents: {% load patronage_tags %}."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def family_label(name: str) -> str:
    """The family's name after the label «Семья»: «Семья Ивановых» -> «Ивановых», so the row
    does not read «Семья — Семья Ивановых»; a name without the word stays as it is."""
    name = (name or "").strip()
    if name.lower().startswith("семья "):
        return name[6:].strip()
    return name


@register.filter
def family_genitive(name: str) -> str:
    """«семья Ивановых» -> «семьи Ивановых»; a name without the word stays as it is, quoted."""
    name = (name or "").strip()
    if name.lower().startswith("семья "):
        return "семьи " + name[6:]
    return f"семьи «{name}»" if name else "семьи"
