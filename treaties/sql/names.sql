-- The names that the search documents fold in (summaries.sql, documents.sql): an actor's name
-- and aliases, the names of a statement's or an event's treaties, of an event's actors.
--
-- Each list is in a set order (an alias, a link by the id it was given). Without one, the
-- order was that of whichever plan read the rows: a document written by a trigger and the
-- same document computed again after ANALYZE could list the same names in another order,
-- with other word positions, so a document would compare as stale when it was not.
-- Every function here is CREATE OR REPLACE: migrations run this file whole, again when a
-- definition changes.

CREATE OR REPLACE FUNCTION statement_speaker_names(speaker bigint) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT a.name FROM treaties_actor a WHERE a.id = speaker), '') || ' ' ||
           coalesce((SELECT string_agg(al.name, ' ' ORDER BY al.id) FROM treaties_actoralias al
                     WHERE al.actor_id = speaker), '')
$$;

CREATE OR REPLACE FUNCTION statement_treaty_names(statement bigint) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce(string_agg(t.short_name || ' ' || t.name, ' ' ORDER BY t.id), '')
    FROM treaties_statement_treaties link JOIN treaties_treaty t ON t.id = link.treaty_id
    WHERE link.statement_id = statement
$$;

CREATE OR REPLACE FUNCTION event_actor_names(event bigint) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce(string_agg(statement_speaker_names(link.actor_id), ' '
                               ORDER BY link.actor_id), '')
    FROM treaties_event_actors link WHERE link.event_id = event
$$;

CREATE OR REPLACE FUNCTION event_treaty_names(event bigint) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce(string_agg(t.short_name || ' ' || t.name, ' ' ORDER BY t.id), '')
    FROM treaties_event_treaties link JOIN treaties_treaty t ON t.id = link.treaty_id
    WHERE link.event_id = event
$$;
