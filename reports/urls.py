from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("demo.pdf", views.demo_document, name="demo"),
    path("exports/<int:pk>/", views.job, name="job"),
    path("exports/<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("exports/<int:pk>/download/", views.job_download, name="job_download"),
]
