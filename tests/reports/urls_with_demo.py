"""The project's URLs with the demonstration document in `reports`, whatever DEBUG was when the
URLs were first loaded: `reports/urls.py` adds the route only when DEBUG is on at start-up, and
pytest-django turns DEBUG off before the first test, so without this the demo's tests would
depend on which test loaded the URLs first."""

from django.urls import URLResolver, include, path

from config import urls as project
from reports import urls as reports_urls
from reports import views

_reports = [p for p in reports_urls.urlpatterns if getattr(p, "name", None) != "demo"]
_reports.append(path("demo.pdf", views.demo_document, name="demo"))

urlpatterns = [
    path("reports/", include((_reports, "reports"))),
    *(
        p
        for p in project.urlpatterns
        if not (isinstance(p, URLResolver) and p.namespace == "reports")
    ),
]
