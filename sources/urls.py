from django.urls import path

from sources import views

app_name = "sources"

urlpatterns = [
    path("<slug:slug>/", views.source_detail, name="detail"),
]
