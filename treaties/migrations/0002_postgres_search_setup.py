from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

# A text search configuration that folds accents ("Zajárova" matches "Zajarova") and does not
# stem, so that names in any language are matched as written. Used by the search vectors.
CREATE_CONFIG = """
CREATE TEXT SEARCH CONFIGURATION public.armscontrol (COPY = pg_catalog.simple);
ALTER TEXT SEARCH CONFIGURATION public.armscontrol
    ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, pg_catalog.simple;
"""
DROP_CONFIG = "DROP TEXT SEARCH CONFIGURATION IF EXISTS public.armscontrol;"


class Migration(migrations.Migration):
    dependencies = [("treaties", "0001_initial")]

    operations = [
        TrigramExtension(),
        UnaccentExtension(),
        migrations.RunSQL(CREATE_CONFIG, DROP_CONFIG),
    ]
