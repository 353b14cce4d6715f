"""The public pages under another path, for tests of addresses under another URLconf."""

from django.urls import include, path

urlpatterns = [path("moved/", include("treaties.urls"))]
