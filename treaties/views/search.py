# Placeholder until search lands (issue 3).
from django.http import HttpResponse


def search(request):
    return HttpResponse("Search")
