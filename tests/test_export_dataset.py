import csv
import json

import pytest
from django.core.management import CommandError, call_command

from api.records import FORMAT_VERSION
from tests.conftest import make_actor, make_event, make_role, make_statement, make_treaty
from treaties.models import Status, Topic

pytestmark = pytest.mark.django_db


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def read_csv(path):
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_export_writes_published_records_with_a_manifest(tmp_path):
    treaty = make_treaty(slug="new-start")
    speaker = make_actor("Maria Zakharova", aliases=["Захарова"])
    make_role(speaker)
    published = make_statement(
        speaker=speaker, treaties=[treaty], text="Мы «за» контакты, “quoted”"
    )
    published.topics.add(Topic.objects.create(name="Inspections", slug="inspections"))
    draft = make_statement(status=Status.DRAFT, text="Not yet public")
    event = make_event(treaties=[treaty], actors=[speaker])
    make_event(status=Status.DRAFT)

    call_command(
        "export_dataset", output=tmp_path, base_url="https://example.org", no_progress=True
    )

    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["format_version"] == FORMAT_VERSION
    assert manifest["files"]["statements"]["count"] == 1
    assert manifest["files"]["events"]["count"] == 1
    assert manifest["files"]["topics"]["count"] == 1

    statements = read_jsonl(tmp_path / "statements.jsonl")
    assert [row["id"] for row in statements] == [published.pk]
    assert statements[0]["text"] == "Мы «за» контакты, “quoted”"
    assert statements[0]["permalink"] == f"https://example.org{published.get_absolute_url()}"
    assert statements[0]["treaties"][0]["slug"] == "new-start"
    assert "Not yet public" not in (tmp_path / "statements.csv").read_text(encoding="utf-8")
    assert draft.pk not in [row["id"] for row in statements]

    rows = read_csv(tmp_path / "statements.csv")
    assert rows[0]["id"] == str(published.pk)
    assert rows[0]["text"] == published.text
    assert rows[0]["speaker_id"] == str(speaker.pk)
    assert rows[0]["treaties_ids"] == str(treaty.pk)

    actors = {row["id"]: row for row in read_jsonl(tmp_path / "actors.jsonl")}
    assert [alias["name"] for alias in actors[speaker.pk]["aliases"]] == ["Захарова"]
    assert [row["id"] for row in read_jsonl(tmp_path / "events.jsonl")] == [event.pk]
    # Only the sources behind published records.
    source_ids = {row["id"] for row in read_jsonl(tmp_path / "sources.jsonl")}
    assert source_ids == {published.source_id, event.source_id}
    assert not list(tmp_path.glob("*.part"))


def test_export_runs_twice_and_replaces_files(tmp_path):
    make_statement()
    call_command("export_dataset", output=tmp_path, no_progress=True)
    make_statement()

    call_command("export_dataset", output=tmp_path, no_progress=True)

    assert len(read_jsonl(tmp_path / "statements.jsonl")) == 2
    assert len(read_csv(tmp_path / "statements.csv")) == 2
    # Without --base-url, permalinks are the site's paths.
    assert read_jsonl(tmp_path / "statements.jsonl")[0]["permalink"].startswith("/q/")


def test_export_of_an_empty_record_has_headers(tmp_path):
    call_command("export_dataset", output=tmp_path, no_progress=True)

    header = (tmp_path / "statements.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("id,permalink,speaker_id,")
    assert json.loads((tmp_path / "manifest.json").read_text())["files"]["events"]["count"] == 0


def test_export_shows_progress_on_stderr(tmp_path, capsys):
    make_statement()

    call_command("export_dataset", output=tmp_path)

    output = capsys.readouterr()
    assert "statements: 1 rows" in output.err
    assert "Wrote" in output.out and "1 statements" in output.out


def test_bad_base_url_is_refused(tmp_path):
    with pytest.raises(CommandError, match="base-url"):
        call_command("export_dataset", output=tmp_path, base_url="example.org")
