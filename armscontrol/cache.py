"""Django's Redis cache, forgiving an outage.

The site keeps in its cache only what it can make again (rendered citations, share cards,
the home page's chart), so while Redis is unreachable a read is a miss and a write is
skipped, with a warning in the log: pages take longer to make, and none fails for it.
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
