from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from organisation.forms import LoginForm

admin.site.site_header = "СРЦН: администрирование"
admin.site.site_title = "СРЦН"
admin.site.index_title = "Справочники и пользователи"

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("organisation.urls")),
    path("reports/", include("reports.urls")),
    path("recipients/", include("recipients.urls")),
    path("patronage/", include("patronage.urls")),
    path("rehab/", include("rehab_programs.urls")),
    path("consilium/", include("consilium.urls")),
    path("services/", include("services.urls")),
    path("search/", include("search.urls")),
    path("agenda/", include("agenda.urls")),
]
