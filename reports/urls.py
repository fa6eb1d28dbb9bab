from django.conf import settings
from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("exports/<int:pk>/", views.job, name="job"),
    path("exports/<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("exports/<int:pk>/download/", views.job_download, name="job_download"),
]

if settings.DEBUG:
    # The demonstration document (PDF and declension check, «Образец документа» on the start
    # page) exists only in development and the demo, never in production.
    urlpatterns.append(path("demo.pdf", views.demo_document, name="demo"))
