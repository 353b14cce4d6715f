from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from . import feeds, views
from .sitemaps import SITEMAPS

app_name = "feeds"

urlpatterns = [
    path("feeds/statements/", feeds.StatementFeed(), name="statements"),
    path("feeds/treaties/<slug:slug>/", feeds.TreatyFeed(), name="treaty"),
    path("feeds/actors/<slug:slug>/", feeds.ActorFeed(), name="actor"),
    path("feeds/topics/<slug:slug>/", feeds.TopicFeed(), name="topic"),
    path("feeds/search/", feeds.SearchFeed(), name="search"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "feeds:sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS, "template_name": "feeds/sitemap_section.xml"},
        name="sitemap_section",
    ),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
