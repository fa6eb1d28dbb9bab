from django.urls import path

from recipients import views

app_name = "recipients"
urlpatterns = [
    path("<int:pk>/", views.recipient_detail, name="detail"),
]
