from django.urls import path

from organisation import account_views, qualification_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("deadlines/", views.my_deadlines, name="my_deadlines"),
    path("deadlines/department/", views.department_deadlines, name="department_deadlines"),
    path("deadlines/centre/", views.centre_deadlines, name="centre_deadlines"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("password/", account_views.OwnPasswordChangeView.as_view(), name="password_change"),
    path("login/code/", account_views.second_factor_verify, name="second_factor_verify"),
    path("login/code/setup/", account_views.second_factor_setup, name="second_factor_setup"),
    path("staff/confirmations/", account_views.staff_confirmations, name="staff_confirmations"),
    path("staff/<int:pk>/confirm/", account_views.staff_confirm, name="staff_confirm"),
    path("staff/qualification/", qualification_views.qualification_list, name="qualification_list"),
    path(
        "staff/qualification/new/", qualification_views.qualification_add, name="qualification_add"
    ),
    path("security/access-log/", account_views.access_log, name="access_log"),
    path("calendar/", views.production_calendar, name="production_calendar"),
    path("calendar/<int:year>/", views.production_calendar, name="production_calendar_year"),
    path("info/", views.public_info, name="public_info"),
    path("info.pdf", views.public_info_pdf, name="public_info_pdf"),
]
