from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("demo.pdf", views.demo_document, name="demo"),
    path("statistics/", views.statistics_view, name="statistics"),
    path("statistics.xlsx", views.statistics_xlsx, name="statistics_xlsx"),
    path("statistics.pdf", views.statistics_pdf, name="statistics_pdf"),
    path("register-extract/", views.register_extract, name="register_extract"),
    path("exports/<int:pk>/", views.job, name="job"),
    path("exports/<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("exports/<int:pk>/download/", views.job_download, name="job_download"),
]
