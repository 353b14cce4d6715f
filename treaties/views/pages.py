# Placeholder views until the public site (issue 3) lands: they exist so reverse() works.
from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from .models import Actor, Event, Statement, Treaty


def home(request):
    return HttpResponse("Arms Control Record")


def treaty_detail(request, slug):
    return HttpResponse(str(get_object_or_404(Treaty, slug=slug)))


def actor_detail(request, slug):
    return HttpResponse(str(get_object_or_404(Actor, slug=slug)))


def event_detail(request, slug):
    return HttpResponse(str(get_object_or_404(Event, slug=slug)))


def statement_detail(request, pk, slug=""):
    return HttpResponse(str(get_object_or_404(Statement, pk=pk)))
