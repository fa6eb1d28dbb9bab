from django.urls import path

from reports.stats import views

app_name = "stats"
urlpatterns = [
    path("statistics/", views.statistics_view, name="statistics"),
    path("statistics.xlsx", views.statistics_xlsx, name="statistics_xlsx"),
    path("statistics.pdf", views.statistics_pdf, name="statistics_pdf"),
    path("register-extract/", views.register_extract, name="register_extract"),
]
