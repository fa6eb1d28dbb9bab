from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from organisation.forms import LoginForm

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
    path("reports/", include("reports.stats.urls")),
    path("recipients/", include("recipients.urls")),
    path("patronage/", include("patronage.urls")),
    path("rehab/", include("rehab_programs.urls")),
    path("consilium/", include("consilium.urls")),
    path("orders/", include("orders.urls")),
    # The orders' earlier addresses under «Получатели», kept for bookmarks and printed links.
    path("recipients/orders/", RedirectView.as_view(pattern_name="orders:list", query_string=True)),
    path("recipients/orders/<int:pk>/", RedirectView.as_view(pattern_name="orders:detail")),
    path("recipients/orders/<int:pk>/print.pdf", RedirectView.as_view(pattern_name="orders:pdf")),
    path(
        "recipients/<int:pk>/orders/new/<str:kind>/",
        RedirectView.as_view(pattern_name="orders:draft"),
    ),
    path(
        "consilium/decisions/<int:pk>/discharge-order/",
        RedirectView.as_view(pattern_name="orders:discharge_draft"),
    ),
    path("services/", include("services.urls")),
    path("reports/", include("reports.urls")),
    path("search/", include("search.urls")),
    path("agenda/", include("agenda.urls")),
]
