"""What a browser would send back for a rendered form: its fields with their shown values."""

from __future__ import annotations

from typing import Any

from django import forms


def form_data(form: forms.BaseForm) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for bf in form:
        value = bf.value()
        widget = bf.field.widget
        if isinstance(widget, forms.CheckboxInput):
            if value:
                data[bf.html_name] = "on"
            continue
        if isinstance(value, list | tuple):
            data[bf.html_name] = [str(v) for v in value]
            continue
        shown = widget.format_value(value) if hasattr(widget, "format_value") else value
        if isinstance(shown, list):  # a select or radio: one value unless it is multiple
            if getattr(widget, "allow_multiple_selected", False):
                data[bf.html_name] = [str(v) for v in shown]
            else:
                data[bf.html_name] = str(shown[0]) if shown and shown[0] is not None else ""
            continue
        data[bf.html_name] = "" if shown is None else str(shown)
    return data
