from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Arms Control Record: editors"
admin.site.site_title = "Arms Control Record"
admin.site.index_title = "Enter an article's facts"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("treaties.urls")),
]
