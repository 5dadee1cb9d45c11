from django.urls import path

from sources import views

app_name = "sources"

urlpatterns = [
    path("<slug:slug>/", views.source_detail, name="detail"),
    path("<slug:slug>/archived/", views.snapshot_detail, name="archived"),
    path("<slug:slug>/versions/<int:number>/", views.snapshot_detail, name="snapshot"),
    path(
        "<slug:slug>/versions/<int:number>/<str:kind>/",
        views.snapshot_file,
        name="snapshot_file",
    ),
]
