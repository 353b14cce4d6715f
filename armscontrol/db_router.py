"""Reads from the streaming replica, writes to the primary, and a request that wrote reads
its own writes.

Used when DATABASE_REPLICA_URL is set (settings.py adds the "replica" database). A request
starts unpinned; its first write (or any write made through the router) pins it to the
primary for the rest of the request, so an editor who saves a record sees it at once
although the replica may lag by a fraction of a second. Migrations run on the primary only.
"""

import contextvars

from django.conf import settings

_wrote = contextvars.ContextVar("wrote_to_primary", default=False)


def has_replica() -> bool:
    return "replica" in settings.DATABASES


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if not has_replica() or _wrote.get():
            return "default"
        return "replica"

    def db_for_write(self, model, **hints):
        _wrote.set(True)
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # Both databases hold the same rows: a replica copy may point to a primary one.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReadYourWritesMiddleware:
    """Each request starts reading from the replica; see PrimaryReplicaRouter.

    Unsafe methods (a form post in the admin) read from the primary from the start: they
    validate against what is there now, not what the replica has caught up to.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _wrote.set(request.method not in ("GET", "HEAD", "OPTIONS"))
        try:
            return self.get_response(request)
        finally:
            _wrote.reset(token)
