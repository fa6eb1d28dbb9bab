from django.urls import path

from orders import views

app_name = "orders"
urlpatterns = [
    path("", views.order_list, name="list"),
    path("<int:pk>/", views.order_detail, name="detail"),
    path("<int:pk>/approve/", views.order_approve, name="approve"),
    path("<int:pk>/return/", views.order_return, name="return"),
    path("<int:pk>/print.pdf", views.order_pdf, name="pdf"),
    path("recipients/<int:pk>/new/<str:kind>/", views.order_draft, name="draft"),
    path("decisions/<int:pk>/discharge/", views.discharge_draft, name="discharge_draft"),
]
