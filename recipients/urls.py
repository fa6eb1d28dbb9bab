from django.urls import path

from recipients import views

app_name = "recipients"
urlpatterns = [
    path("", views.register_list, name="list"),
    path("export.xlsx", views.register_export, name="export"),
    path("new/", views.recipient_create, name="create"),
    path("access-log/", views.access_log_all, name="access_log_all"),
    path("<int:pk>/", views.recipient_detail, name="detail"),
    path("<int:pk>/edit/", views.recipient_edit, name="edit"),
    path("<int:pk>/archive/", views.recipient_archive, name="archive"),
    path("<int:pk>/history/", views.recipient_history, name="history"),
    path("<int:pk>/access-log/", views.recipient_access_log, name="access_log"),
    path("<int:pk>/family/", views.family_edit, name="family_edit"),
    path("<int:pk>/representatives/new/", views.representative_add, name="representative_add"),
    path(
        "<int:pk>/representatives/<int:rep_pk>/edit/",
        views.representative_edit,
        name="representative_edit",
    ),
    path("<int:pk>/consents/new/", views.consent_add, name="consent_add"),
    path("consents/<int:pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("consents/<int:pk>/print.pdf", views.consent_pdf, name="consent_pdf"),
    path("<int:pk>/documents/new/", views.document_add, name="document_add"),
    path("documents/<int:pk>/certify/", views.document_certify, name="document_certify"),
    path("documents/<int:pk>/archive/", views.document_archive, name="document_archive"),
    path("documents/<int:pk>/scan/", views.document_scan, name="document_scan"),
    path("<int:pk>/application/new/", views.application_add, name="application_add"),
    path("<int:pk>/application.pdf", views.application_pdf, name="application_pdf"),
    path("<int:pk>/need-recognition/new/", views.need_recognition_add, name="need_recognition_add"),
    path("<int:pk>/contract/new/", views.contract_add, name="contract_add"),
    path("contracts/<int:pk>/print.pdf", views.contract_pdf, name="contract_pdf"),
    path(
        "<int:pk>/circumstances/new/",
        views.circumstance_change_add,
        name="circumstance_change_add",
    ),
    path(
        "circumstances/<int:pk>/review/",
        views.circumstance_change_review,
        name="circumstance_change_review",
    ),
    path("<int:pk>/extract.pdf", views.extract_pdf, name="extract_pdf"),
    path("<int:pk>/familiarisation/new/", views.familiarisation_add, name="familiarisation_add"),
    path("<int:pk>/familiarisation.pdf", views.familiarisation_pdf, name="familiarisation_pdf"),
    path("<int:pk>/belongings/new/", views.belonging_add, name="belonging_add"),
    path("belongings/<int:pk>/return/", views.belonging_return, name="belonging_return"),
    path("<int:pk>/surveys/new/", views.survey_add, name="survey_add"),
    path("quality/", views.quality_summary_view, name="quality_summary"),
]
