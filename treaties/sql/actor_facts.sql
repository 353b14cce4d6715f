-- An actor page's record in one query: the actor, its other spellings, its roles with their
-- organisations, the treaties it is party to, and its rows of the summary StatementTally
-- (in all, about each treaty, in each year: SpeakerSummary). treaties/actor_page.py fills in
-- the column lists from the models and builds the instances; each list is an index lookup of
-- one actor's rows, in the order its model keeps (a role's ties by id). $1: the actor's slug.
PREPARE {name} (text) AS
SELECT
    {actor},
    (
        SELECT json_agg({alias_object} ORDER BY alias.name, alias.id)
        FROM treaties_actoralias alias
        WHERE alias.actor_id = actor.id
    ) AS aliases,
    (
        SELECT json_agg(json_build_array({role_object}, {organisation_object})
            ORDER BY role.start_date ASC NULLS FIRST, role.id)
        FROM treaties_role role
        LEFT JOIN treaties_actor organisation ON organisation.id = role.organisation_id
        WHERE role.actor_id = actor.id
    ) AS roles,
    (
        SELECT json_agg(json_build_array({party_object}, {treaty_object})
            ORDER BY treaty.short_name, party.id)
        FROM treaties_treatyparty party JOIN treaties_treaty treaty ON treaty.id = party.treaty_id
        WHERE party.state_id = actor.id
    ) AS parties,
    (
        SELECT json_agg(json_build_array(tally.treaty_id, tally.year, tally.statements))
        FROM treaties_statementtally tally
        WHERE tally.speaker_id = actor.id AND tally.topic_id = 0
          AND (tally.treaty_id = 0 OR tally.year = 0)
    ) AS said
FROM treaties_actor actor
WHERE actor.slug = $1
