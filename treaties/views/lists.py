# Placeholder until the timeline and "who said what" land (issue 3).
from django.http import HttpResponse


def timeline(request):
    return HttpResponse("Timeline")


def who_said_what(request):
    return HttpResponse("Who said what")
