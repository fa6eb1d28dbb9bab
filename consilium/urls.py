from django.urls import path

from consilium import views

app_name = "consilium"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("composition/new/", views.composition_set, name="composition_set"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/protocol.pdf", views.protocol_pdf, name="protocol_pdf"),
    path("meetings/<int:pk>/attendance/", views.attendance_record, name="attendance"),
    path("meetings/<int:pk>/items/new/", views.item_add, name="item_add"),
    path("items/<int:pk>/decision/", views.decision_record, name="decision"),
]
