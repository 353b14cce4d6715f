-- A treaty page's facts in one query: the treaty, its key limits, its parties with their
-- states, and its signers with the people and states they name (treaties/treaty_page.py fills
-- in the column lists from the models and builds the instances). Each list is an index lookup
-- of one treaty's rows, in the order its model keeps. $1: the treaty's slug.
PREPARE {name} (text) AS
SELECT
    {treaty},
    (
        SELECT json_agg({limit_object} ORDER BY treaty_limit.position, treaty_limit.id)
        FROM treaties_treatylimit treaty_limit
        WHERE treaty_limit.treaty_id = treaty.id
    ) AS limits,
    (
        SELECT json_agg(json_build_array({party_object}, {state_object})
            ORDER BY state.name, party.id)
        FROM treaties_treatyparty party JOIN treaties_actor state ON state.id = party.state_id
        WHERE party.treaty_id = treaty.id
    ) AS parties,
    (
        SELECT json_agg(json_build_array({signer_object}, {person_object}, {behalf_object})
            ORDER BY signer.signed_on ASC NULLS LAST, signer.id)
        FROM treaties_treatysigner signer
        JOIN treaties_actor person ON person.id = signer.signer_id
        LEFT JOIN treaties_actor behalf ON behalf.id = signer.on_behalf_of_id
        WHERE signer.treaty_id = treaty.id
    ) AS signers
FROM treaties_treaty treaty
WHERE treaty.slug = $1
