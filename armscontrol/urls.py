from django.contrib import admin
from django.urls import include, path

from api.views import api
from armscontrol.favicon import favicon

admin.site.site_header = "Arms Control Record: editors"
admin.site.site_title = "Arms Control Record"
admin.site.index_title = "Enter an article's facts"

# A database outage raised outside a view still answers 503, not 500 (armscontrol/errors.py).
handler500 = "armscontrol.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("favicon.ico", favicon, name="favicon"),
    path("api/", api.urls),
    # Downloads of the lists as CSV or JSON (exports/__init__.py).
    path("export/", include("exports.urls")),
    path("", include("feeds.urls")),
    path("", include("treaties.urls")),
]
