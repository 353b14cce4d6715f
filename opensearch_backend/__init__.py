"""OpenSearch as the search engine of the large tables, for a site that outgrows the
full-text search of one PostgreSQL.

Chosen with SEARCH_ENGINE=opensearch and OPENSEARCH_URL (armscontrol/settings.py). It answers
the one question that grows with the data: which statements, and which sources, match a
search's words, best first, at most CANDIDATES of each (engine.py). The search page then loads,
highlights and shows those rows from PostgreSQL exactly as it does with PostgreSQL's own
search (treaties/search.py); actors, treaties and events, small tables, stay there. While
OpenSearch cannot be reached, PostgreSQL answers, and says so in the log.

How the index is kept current (indexing.py): once `manage.py opensearch_index` has set an
index up, database triggers queue every change to a statement's or a source's search
document, or to whether a source is public, in the same transaction as the change, whoever
makes it (sql/queue.sql). `opensearch_index --follow` sends the queue to OpenSearch in
batches and deletes queued rows only once OpenSearch has taken them, so no edit is lost and
one reaches search within seconds. A record OpenSearch refuses for its own reason is set aside
(models.Refused) rather than holding up the queue behind it.
"""
