from django.urls import path

from organisation import views

urlpatterns = [
    path("", views.home, name="home"),
    path("deadlines/", views.my_deadlines, name="my_deadlines"),
    path("deadlines/department/", views.department_deadlines, name="department_deadlines"),
    path("deadlines/centre/", views.centre_deadlines, name="centre_deadlines"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("calendar/", views.production_calendar, name="production_calendar"),
    path("calendar/<int:year>/", views.production_calendar, name="production_calendar_year"),
    path("info/", views.public_info, name="public_info"),
    path("info.pdf", views.public_info_pdf, name="public_info_pdf"),
]
