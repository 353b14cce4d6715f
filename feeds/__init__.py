"""Following the record: Atom feeds of new statements (all, per treaty, per actor, per topic,
per search), sitemap.xml for search engines and robots.txt pointing at it.

Every feed is at most FEED_LENGTH items taken in an index order with LIMIT, and the sitemap
is split into pages of at most 1,000 URLs by id range, so nothing here reads a whole table.
"""
