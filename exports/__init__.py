"""Downloads of the site's lists: the timeline (also a treaty's record and an actor's
statements, which are the timeline filtered), "who said what" and search results, as CSV or
JSON, with the filters of the page they come from.

Streamed in constant memory: a download is a StreamingHttpResponse over a generator that
reads the list a batch at a time by keyset (the timeline's own: treaties/timeline.py), so
each batch is one LIMITed index scan for its keys plus a fixed number of queries to load
those rows with their relations, and the millionth row costs what the first did. Why keyset
batches rather than one server-side cursor (QuerySet.iterator()): the response is streamed
after the view has returned, so each batch must stand alone (no transaction held open for the
length of a slow download, and it works behind a transaction-pooling connection pooler), and
the rows need many-to-many relations (treaties, topics, actors) that a cursor over one query
cannot bring without a GROUP BY over the whole result.

The JSON rows are the API's records (api/records.py), so a download, the API and
`export_dataset` describe a statement with the same fields; the CSV flattens them for a
spreadsheet, names instead of ids.
"""
