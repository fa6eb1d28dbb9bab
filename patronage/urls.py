from django.urls import path

from patronage import views

app_name = "patronage"
urlpatterns = [
    path("appeals/", views.appeal_list, name="appeal_list"),
    path("appeals/new/", views.appeal_create, name="appeal_create"),
    path("appeals/<int:pk>/", views.appeal_detail, name="appeal_detail"),
    path("appeals/<int:pk>/register/", views.appeal_register, name="appeal_register"),
    path("appeals/<int:pk>/open-case/", views.appeal_open_case, name="appeal_open_case"),
    path("journal/", views.journal, name="journal"),
    path("journal.pdf", views.journal, {"fmt": "pdf"}, name="journal_pdf"),
    path("journal.xlsx", views.journal, {"fmt": "xlsx"}, name="journal_xlsx"),
    path("", views.case_list, name="case_list"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/assign/", views.case_assign, name="case_assign"),
    path("cases/<int:pk>/close/", views.case_close, name="case_close"),
    path("cases/<int:pk>/visits/new/", views.visit_plan, name="visit_plan"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/record/", views.visit_record, name="visit_record"),
    path("visits/<int:pk>/amend/", views.visit_amend, name="visit_amend"),
    path("visits/<int:pk>/cancel/", views.visit_cancel, name="visit_cancel"),
    path("visits/<int:pk>/act.pdf", views.visit_act_pdf, name="visit_act_pdf"),
    path("visits/<int:pk>/review/", views.visit_review, name="visit_review"),
    path("review/", views.review_list, name="review_list"),
    path("visits/", views.visit_list, name="visit_list"),
]
