from django.urls import path

from organisation import views

urlpatterns = [
    path("", views.home, name="home"),
]
