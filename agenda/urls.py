from django.urls import path

from agenda import views

app_name = "agenda"

urlpatterns = [
    path("", views.month, name="month"),
    path("my-day/", views.my_day, name="my_day"),
    path("my-day/lines/<int:pk>/log/", views.my_day_log_line, name="my_day_log_line"),
    path("my-day/activities/<int:pk>/log/", views.my_day_log_activity, name="my_day_log_activity"),
    path("my-day/records/<int:pk>/undo/", views.my_day_undo, name="my_day_undo"),
]
