"""Django's Redis cache, forgiving an outage.

The site keeps in its cache only what it can make again (rendered citations, share cards,
the home page's chart, the list pages' filter options), so while Redis is unreachable a
read is a miss and a write or a delete is skipped, with a warning in the log: pages take
longer to make, and none fails for it (nor does an editor's save, which deletes).
"""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class ForgivingRedisCache(RedisCache):
    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError as error:
            logger.warning("Cache unavailable, reading %s: %s", key, error)
            return default

    def set(self, key, value, timeout=None, version=None):
        try:
            super().set(key, value, timeout, version)
        except RedisError as error:
            logger.warning("Cache unavailable, writing %s: %s", key, error)

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except RedisError as error:
            logger.warning("Cache unavailable, deleting %s: %s", key, error)
            return False
