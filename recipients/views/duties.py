"""The provider's duties: changes of circumstances (O8), familiarisation and belongings (O9),
quality surveys (O5)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organisation import policy
from organisation.access import AuthenticatedRequest, get_object_for
from organisation.forms import add_action_errors
from recipients import actions, selectors
from recipients.forms import (
    BelongingForm,
    BelongingReturnForm,
    CircumstanceChangeForm,
    CircumstanceReviewForm,
    FamiliarisationForm,
    QualitySummaryForm,
    QualitySurveyForm,
)
from recipients.models import (
    OPINION_AGE,
    SCORE_CRITERIA,
    Belonging,
    CircumstanceChange,
    QualitySurvey,
    Representative,
)
from recipients.selectors import quality_summary
from recipients.views.common import (
    _ctx,
    _departments,
    _print,
    _recipient,
    _representation,
)


@require_http_methods(["GET", "POST"])
def circumstance_change_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recipient = _recipient(request, pk, write=True)
    form = CircumstanceChangeForm(request.POST or None, recipient=recipient)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_circumstance_change(
                recipient=recipient, recorded_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Сообщение об изменении обстоятельств записано.")
            return redirect(f"{recipient.get_absolute_url()}#circumstance-changes")
    return render(
        request,
        "recipients/simple_form.html",
        _ctx(recipient, form, "Изменение обстоятельств (п. 2.6.6)"),
    )


@require_POST
@policy.allowed("recipients.review_circumstance_change")
def circumstance_change_review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    change = get_object_for(
        request, CircumstanceChange.objects.select_related("recipient"), pk, write=True
    )
    form = CircumstanceReviewForm(request.POST)
    if form.is_valid():
        try:
            actions.review_circumstance_change(
                change=change, reviewed_by=request.user, decision=form.cleaned_data["decision"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Сообщение рассмотрено.")
    else:
        messages.error(request, "Запишите решение, чтобы отметить сообщение рассмотренным.")
    return redirect(f"{change.recipient.get_absolute_url()}#circumstance-changes")


@require_http_methods(["GET", "POST"])
def familiarisation_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recipient = _recipient(request, pk, write=True)
    reps = Representative.objects.filter(
        family_id=recipient.family_id or 0, archived_at__isnull=True
    )
    form = FamiliarisationForm(
        request.POST or None,
        representatives=reps,
        initial={"on": timezone.localdate(), "representative": reps.first()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            rows = actions.record_familiarisation(
                recipient=recipient,
                recorded_by=request.user,
                kinds=form.cleaned_data["kinds"],
                on=form.cleaned_data["on"],
                representative=form.cleaned_data["representative"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"Ознакомление записано: {len(rows)} док.")
            return redirect(recipient)
    return render(
        request,
        "recipients/simple_form.html",
        _ctx(recipient, form, "Ознакомление с документами (п. 2.6.7, 3.3.1)"),
    )


@require_GET
def familiarisation_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """«Лист ознакомления»: the documents with signature lines (O9, O12)."""
    recipient = _recipient(request, pk)
    rows = list(recipient.familiarisations.select_related("representative", "recorded_by"))
    link = _representation(
        recipient, next((f.representative for f in rows if f.representative), None)
    )
    today = timezone.localdate()
    return _print(
        request,
        recipient,
        "familiarisation.html",
        f"Лист ознакомления {recipient.short_name}.pdf",
        status=selectors.familiarisation_status(recipient, rows),
        rep=link.representative if link else None,
        minor_signs=recipient.age_on(today) >= OPINION_AGE,
        # Who familiarised them, when the records name one person.
        familiarised_by=(
            rows[0].recorded_by if rows and len({f.recorded_by_id for f in rows}) == 1 else None
        ),
    )


@require_http_methods(["GET", "POST"])
def belonging_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recipient = _recipient(request, pk, write=True)
    form = BelongingForm(request.POST or None, initial={"handed_over_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.hand_over_belonging(
                recipient=recipient,
                accepted_by=request.user,
                description=form.cleaned_data["description"],
                on=form.cleaned_data["handed_over_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Вещь принята на хранение.")
            return redirect(recipient)
    return render(request, "recipients/simple_form.html", _ctx(recipient, form, "Вещь на хранение"))


@require_http_methods(["GET", "POST"])
def belonging_return(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = get_object_for(request, Belonging.objects.select_related("recipient"), pk, write=True)
    form = BelongingReturnForm(request.POST or None, initial={"returned_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.return_belonging(
                belonging=item, returned_by=request.user, on=form.cleaned_data["returned_on"]
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"Возврат записан: {item.description}.")
            return redirect(item.recipient)
    return render(
        request,
        "recipients/simple_form.html",
        _ctx(item.recipient, form, f"Возврат: {item.description}"),
    )


@require_http_methods(["GET", "POST"])
def survey_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recipient = _recipient(request, pk, write=True)
    form = QualitySurveyForm(request.POST or None, initial={"answered_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_quality_survey(
                recipient=recipient, recorded_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Анкета о качестве услуг записана.")
            return redirect(recipient)
    return render(
        request,
        "recipients/simple_form.html",
        _ctx(recipient, form, "Анкета о качестве социальных услуг (п. 2.5.4)"),
    )


@require_GET
@policy.allowed("recipients.view_quality_summary")
def quality_summary_view(request: AuthenticatedRequest) -> HttpResponse:
    """Averages per criterion for a period: the head's own department, the director's choice."""
    is_director = policy.may(request.user, "organisation.view_all_departments")
    form = QualitySummaryForm(
        request.GET or None, departments=_departments(request) if is_director else None
    )
    surveys = QualitySurvey.objects.visible_to(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data.get("date_from"):
            surveys = surveys.filter(answered_on__gte=data["date_from"])
        if data.get("date_to"):
            surveys = surveys.filter(answered_on__lte=data["date_to"])
        if data.get("department"):
            surveys = surveys.filter(recipient__department=data["department"])
    summary = quality_summary(surveys)
    rows = [
        (getattr(QualitySurvey._meta.get_field(c), "verbose_name", c), summary[c])
        for c in SCORE_CRITERIA
    ]
    return render(
        request,
        "recipients/quality_summary.html",
        {"form": form, "summary": summary, "rows": rows, "title": "Анкетирование о качестве услуг"},
    )
