from django.urls import path
from django.views.generic import RedirectView

from services import views

app_name = "services"

urlpatterns = [
    path("catalogue/", views.catalogue, name="catalogue"),
    # «Мой день» moved to the agenda (it joins the ИПСРН's activities): old links still work
    path(
        "my-day/",
        RedirectView.as_view(pattern_name="agenda:my_day", query_string=True),
        name="my_day",
    ),
    path("log/", views.log_service, name="log"),
    path("log/group/", views.log_group, name="log_group"),
    path("journal/", views.journal, name="journal"),
    path("journal/xlsx/", views.journal_xlsx, name="journal_xlsx"),
    path("journal/pdf/", views.journal_pdf, name="journal_pdf"),
    path("records/<int:pk>/", views.record_detail, name="record"),
    path("records/<int:pk>/correct/", views.record_correct, name="record_correct"),
    path("records/<int:pk>/cancel/", views.record_cancel, name="record_cancel"),
    path("programmes/", views.individual_programmes, name="programmes"),
    path("programmes/<int:pk>/", views.individual_programme_detail, name="programme"),
    path("programmes/<int:pk>/edit/", views.individual_programme_edit, name="programme_edit"),
    path("programmes/<int:pk>/print.pdf", views.individual_programme_pdf, name="programme_pdf"),
    path(
        "programmes/<int:pk>/lines/", views.individual_programme_add_line, name="programme_add_line"
    ),
    path("lines/<int:pk>/refuse/", views.line_refuse, name="line_refuse"),
    path("refusals/<int:pk>/pdf/", views.refusal_pdf, name="refusal_pdf"),
    path("recipients/<int:pk>/", views.recipient_individual_programmes, name="recipient"),
    path(
        "recipients/<int:pk>/compliance/", views.recipient_compliance, name="recipient_compliance"
    ),
    path("compliance/", views.compliance, name="compliance"),
    path("urgent/", views.urgent_acts, name="urgent_acts"),
    path("urgent/new/", views.urgent_act_new, name="urgent_act_new"),
    path("urgent/<int:pk>/", views.urgent_act_detail, name="urgent_act"),
    path("urgent/<int:pk>/signed/", views.urgent_act_signed, name="urgent_act_signed"),
    path("urgent/<int:pk>/pdf/", views.urgent_act_pdf, name="urgent_act_pdf"),
]
