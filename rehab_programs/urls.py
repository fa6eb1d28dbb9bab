from django.urls import path

from rehab_programs import views

app_name = "rehab_programs"
urlpatterns = [
    path("", views.rehab_programme_list, name="list"),
    path("recipients/<int:pk>/", views.recipient_rehab, name="recipient"),
    path("recipients/<int:pk>/diagnostics/new/", views.diagnostic_add, name="diagnostic_add"),
    path(
        "recipients/<int:pk>/programme/new/", views.rehab_programme_create, name="programme_create"
    ),
    path("recipients/<int:pk>/conclusion/new/", views.conclusion_create, name="conclusion_create"),
    path("programmes/<int:pk>/", views.rehab_programme_detail, name="programme"),
    path("programmes/<int:pk>/edit/", views.rehab_programme_edit, name="programme_edit"),
    path("programmes/<int:pk>/print.pdf", views.rehab_programme_pdf, name="programme_pdf"),
    path("programmes/<int:pk>/activities/new/", views.activity_add, name="activity_add"),
    path("programmes/<int:pk>/familiarisation/", views.familiarisation, name="familiarisation"),
    path("programmes/<int:pk>/revision/new/", views.revision_propose, name="revision_propose"),
    path("programmes/<int:pk>/proposals/new/", views.change_propose, name="change_propose"),
    path("activities/<int:pk>/result/", views.activity_result, name="activity_result"),
    path("activities/<int:pk>/withdraw/", views.activity_withdraw, name="activity_withdraw"),
    path("conclusions/<int:pk>/receipt/", views.conclusion_receipt, name="conclusion_receipt"),
    path("conclusions/<int:pk>/print.pdf", views.conclusion_pdf, name="conclusion_pdf"),
]
