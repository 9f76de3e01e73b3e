from django.db import migrations

# The list's search looks for each word in first name, last name and e-mail address as one text
# (`intake.filtersets.SEARCH_TEXT`); `icontains` compares it as UPPER(text::text) LIKE UPPER(pattern), and a trigram
# index on that very expression answers it. It replaces the index on the three columns of migration 0011, which
# took three index scans a word. PostgreSQL only, like the index it replaces.
SEARCH_INDEX = (
    "CREATE INDEX candidate_search_trgm_idx ON intake_candidate USING gin "
    "(UPPER((first_name || ' ' || last_name || ' ' || email)::text) gin_trgm_ops)"
)
# The planner estimates how many candidates a word matches from the sampled values of the indexed text. From the
# default 100 (no MCVs: every text differs) a fragment of a common surname (2.8% of the candidates) often matched
# none, the estimate fell to the heuristic's few dozen rows, and the list's page sorted all 15,000 matches (190-320
# ms) instead of reading the date index until it had 25 (6-22 ms).
SEARCH_STATISTICS = "ALTER INDEX candidate_search_trgm_idx ALTER COLUMN 1 SET STATISTICS 1000"
COLUMNS_INDEX = (
    "CREATE INDEX candidate_search_trgm_idx ON intake_candidate USING gin "
    "(UPPER(first_name::text) gin_trgm_ops, UPPER(last_name::text) gin_trgm_ops, UPPER(email::text) gin_trgm_ops)"
)


def replace_with(*statements):
    def replace(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute("DROP INDEX IF EXISTS candidate_search_trgm_idx")
            for statement in statements:
                schema_editor.execute(statement)

    return replace


class Migration(migrations.Migration):
    dependencies = [("intake", "0018_drop_indexes_covered_by_composites")]

    operations = [migrations.RunPython(replace_with(SEARCH_INDEX, SEARCH_STATISTICS), replace_with(COLUMNS_INDEX))]
