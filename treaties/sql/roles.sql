-- What a statement card says its speaker was on the day ("Spokeswoman, Ministry of Foreign
-- Affairs"): the role held that day that began last, a role with no start date counting as
-- begun that day (and first among those that did), then the first entered; NULL for none.
-- Actor.role_on makes the same choice in Python, from prefetched roles, for the pages that
-- show a role's parts (tests/test_roles_on_the_day.py holds the two to it). A list asks this
-- for each of its rows rather than fetching and building every role of its speakers.
-- CREATE OR REPLACE: migrations run this file whole, again when the definition changes.

CREATE OR REPLACE FUNCTION role_on_the_day(speaker bigint, day date) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN o.id IS NULL THEN r.title ELSE r.title || ', ' || o.name END
    FROM treaties_role r LEFT JOIN treaties_actor o ON o.id = r.organisation_id
    WHERE r.actor_id = speaker
      AND (r.start_date IS NULL OR r.start_date <= day)
      AND (r.end_date IS NULL OR r.end_date >= day)
    ORDER BY coalesce(r.start_date, day) DESC, r.start_date ASC NULLS FIRST, r.id
    LIMIT 1
$$;
