-- A speaker's role on a day: the role held that day that began last, a role with no start
-- date counting as begun that day (and first among those that did), then the first entered;
-- none for none. Actor.role_on makes the same choice in Python, from prefetched roles
-- (tests/test_roles_on_the_day.py holds the two to it).
-- CREATE OR REPLACE: migrations run this file whole, again when a definition changes.

-- The role's row, for the page that shows a role's parts (a title and a link to its
-- organisation): the permalink's one query joins it (sql/permalink.sql). Asked in FROM, it
-- looks up that speaker's roles alone (PostgreSQL inlines it), where a join on a role id
-- would read them all.
CREATE OR REPLACE FUNCTION role_held_on(speaker bigint, day date) RETURNS SETOF treaties_role
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1 AS $$
    SELECT r.*
    FROM treaties_role r
    WHERE r.actor_id = speaker
      AND (r.start_date IS NULL OR r.start_date <= day)
      AND (r.end_date IS NULL OR r.end_date >= day)
    ORDER BY coalesce(r.start_date, day) DESC, r.start_date ASC NULLS FIRST, r.id
    LIMIT 1
$$;

-- What a statement card says its speaker was on the day ("Spokeswoman, Ministry of Foreign
-- Affairs"), or NULL. A list asks this for each of its rows rather than fetching and
-- building every role of its speakers.
CREATE OR REPLACE FUNCTION role_on_the_day(speaker bigint, day date) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN o.id IS NULL THEN r.title ELSE r.title || ', ' || o.name END
    FROM role_held_on(speaker, day) r LEFT JOIN treaties_actor o ON o.id = r.organisation_id
$$;
