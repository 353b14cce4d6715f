from django.urls import path

from .views import cite, directories, lists, pages, search

app_name = "treaties"

urlpatterns = [
    path("", pages.home, name="home"),
    # Directories: every record of each kind.
    path("treaties/", directories.treaty_list, name="treaty_list"),
    path("actors/", directories.actor_list, name="actor_list"),
    path("sources/", directories.source_list, name="source_list"),
    path("sources/<int:pk>/", directories.source_detail, name="source_detail"),
    path("topics/", directories.topic_list, name="topic_list"),
    path("topics/<slug:slug>/", directories.topic_detail, name="topic_detail"),
    path("events/", directories.event_list, name="event_list"),
    path("treaties/<slug:slug>/", pages.treaty_detail, name="treaty_detail"),
    path("actors/<slug:slug>/", pages.actor_detail, name="actor_detail"),
    path("events/<slug:slug>/", pages.event_detail, name="event_detail"),
    # A quote's permalink: the id is what counts, the slug is decoration.
    path("q/<int:pk>/", pages.statement_detail, name="statement_short"),
    path("q/<int:pk>/<str:slug>/", pages.statement_detail, name="statement_detail"),
    # "Cite": BibTeX, RIS or CSL-JSON (fmt is bib, ris or json); a statement's share card.
    path("q/<int:pk>/cite.<str:fmt>", cite.statement_citation, name="statement_citation"),
    path("q/<int:pk>/card.png", cite.statement_card, name="statement_card"),
    path("events/<slug:slug>/cite.<str:fmt>", cite.event_citation, name="event_citation"),
    path("timeline/", lists.timeline, name="timeline"),
    path("who-said-what/", lists.who_said_what, name="who_said_what"),
    path("search/", search.search, name="search"),
]
