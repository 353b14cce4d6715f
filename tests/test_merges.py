"""Merging two actors or two sources, and undoing it (treaties/merges.py, the admin action)."""

import io

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import reverse
from playwright.sync_api import expect

from intake.models import Intake
from treaties import merges
from treaties.merges import MergeError, merge_actors, merge_sources, queue_merge, undo_merge
from treaties.models import (
    Actor,
    ActorAlias,
    ActorMerge,
    QueuedMerge,
    Source,
    SourceMerge,
    Statement,
    StatementTally,
    TreatyParty,
    TreatySigner,
    TreatyStatement,
)

from .conftest import (
    make_actor,
    make_editor,
    make_event,
    make_role,
    make_source,
    make_statement,
    make_treaty,
)
from .test_browser_admin import PASSWORD, log_in


@pytest.fixture
def twins(db):
    """Maria Zakharova entered twice, the second time as "Maria Zajárova", with records of
    her own, some of which the first one has too."""
    treaty = make_treaty("New START")
    winner = make_actor("Maria Zakharova", aliases=["Мария Захарова"])
    loser = make_actor("Maria Zajárova", aliases=["Мария Захарова", "M. Zajarova"])
    state = make_actor("Russia", kind="state")
    said = make_statement(speaker=loser, treaties=[treaty])
    mentioning = make_statement()
    mentioning.mentions.set([loser, winner])
    role = make_role(loser, organisation=state)
    signature = TreatySigner.objects.create(treaty=treaty, signer=loser, on_behalf_of=state)
    event = make_event(actors=[loser])
    return {
        "treaty": treaty,
        "winner": winner,
        "loser": loser,
        "said": said,
        "mentioning": mentioning,
        "role": role,
        "signature": signature,
        "event": event,
    }


def test_merging_actors_moves_everything_to_the_winner(twins, editor):
    winner, loser = twins["winner"], twins["loser"]
    merge = merge_actors(winner=winner, loser=loser, user=editor)

    assert not Actor.objects.filter(pk=loser.pk).exists()
    twins["said"].refresh_from_db()
    assert twins["said"].speaker == winner
    assert list(twins["mentioning"].mentions.all()) == [winner]
    assert twins["role"].__class__.objects.get(pk=twins["role"].pk).actor == winner
    assert TreatySigner.objects.get(pk=twins["signature"].pk).signer == winner
    assert list(twins["event"].actors.all()) == [winner]
    # Its name and its own spellings are the winner's aliases now, each once.
    assert sorted(winner.aliases.values_list("name", flat=True)) == [
        "M. Zajarova",
        "Maria Zajárova",
        "Мария Захарова",
    ]
    # The summaries the database keeps follow the statement to its new speaker.
    assert StatementTally.objects.count_of(speaker=winner) == 1
    assert StatementTally.objects.count_of(speaker=loser.pk) == 0
    assert TreatyStatement.objects.get(statement=twins["said"]).speaker_id == winner.pk
    # Recorded: the merge, and each moved row's history with the reason.
    assert merge.loser_slug == loser.slug and merge.merged_by == editor
    version = twins["said"].history.latest()
    assert version.history_change_reason == "Merged “Maria Zajárova” into “Maria Zakharova”"
    assert version.history_user == editor
    assert Actor.history.filter(id=loser.pk, history_type="-").exists()


def test_undoing_an_actor_merge_puts_everything_back(twins, editor):
    winner, loser = twins["winner"], twins["loser"]
    merge = merge_actors(winner=winner, loser=loser, user=editor)
    undo_merge(merge, user=editor)

    restored = Actor.objects.get(pk=loser.pk)
    assert (restored.name, restored.slug) == (loser.name, loser.slug)
    # Its dates as they were (to the millisecond the serialiser keeps), not the undo's.
    assert abs(restored.created_at - loser.created_at).total_seconds() < 0.001
    assert sorted(restored.aliases.values_list("name", flat=True)) == [
        "M. Zajarova",
        "Мария Захарова",
    ]
    assert list(winner.aliases.values_list("name", flat=True)) == ["Мария Захарова"]
    assert Statement.objects.get(pk=twins["said"].pk).speaker_id == loser.pk
    assert set(twins["mentioning"].mentions.all()) == {winner, restored}
    assert TreatySigner.objects.get(pk=twins["signature"].pk).signer_id == loser.pk
    assert list(twins["event"].actors.all()) == [restored]
    assert StatementTally.objects.count_of(speaker=loser.pk) == 1
    merge.refresh_from_db()
    assert merge.is_undone and merge.undone_by == editor
    with pytest.raises(MergeError, match="undone already"):
        undo_merge(merge, user=editor)


def test_an_undo_leaves_a_row_an_editor_has_moved_on_since(twins):
    merge = merge_actors(winner=twins["winner"], loser=twins["loser"])
    someone = make_actor("Someone else")
    Statement.objects.filter(pk=twins["said"].pk).update(speaker=someone)
    undo_merge(merge)
    assert Statement.objects.get(pk=twins["said"].pk).speaker == someone
    assert TreatySigner.objects.get(pk=twins["signature"].pk).signer_id == twins["loser"].pk


def test_an_undo_is_refused_when_the_old_address_was_taken_since(twins):
    merge = merge_actors(winner=twins["winner"], loser=twins["loser"])
    make_actor("Someone else", slug=twins["loser"].slug)
    with pytest.raises(MergeError, match="cannot be undone"):
        undo_merge(merge)
    merge.refresh_from_db()
    assert not merge.is_undone
    assert Statement.objects.get(pk=twins["said"].pk).speaker == twins["winner"]


def test_a_party_to_the_same_treaty_is_kept_once_and_restored_by_the_undo(db):
    treaty = make_treaty()
    winner, loser = make_actor("Russia", kind="state"), make_actor("Russian Fed.", kind="state")
    TreatyParty.objects.create(treaty=treaty, state=winner)
    TreatyParty.objects.create(treaty=treaty, state=loser, note="successor state")
    merge = merge_actors(winner=winner, loser=loser)
    assert list(TreatyParty.objects.values_list("state", flat=True)) == [winner.pk]
    undo_merge(merge)
    assert set(TreatyParty.objects.values_list("state", "note")) == {
        (winner.pk, ""),
        (loser.pk, "successor state"),
    }


def test_merges_chain_and_unwind(db):
    first, second, third = make_actor("A one"), make_actor("A two"), make_actor("A three")
    statement = make_statement(speaker=first)
    early = merge_actors(winner=second, loser=first)
    late = merge_actors(winner=third, loser=second)
    early.refresh_from_db()
    assert early.winner == third  # the first merge's redirect leads to the final record
    undo_merge(late)
    undo_merge(early)
    assert Statement.objects.get(pk=statement.pk).speaker_id == first.pk
    assert Actor.objects.filter(pk__in=[first.pk, second.pk, third.pk]).count() == 3


def test_an_actor_is_not_merged_into_itself(db):
    actor = make_actor()
    with pytest.raises(MergeError):
        merge_actors(winner=actor, loser=actor)


def test_merging_sources_moves_rows_and_remembers_the_url(db):
    winner = make_source("Russia acknowledges specific contacts")
    loser = make_source("Russia acknowledges ‘specific contacts’ (copy)")
    statement = make_statement(source=loser)
    event = make_event(source=loser)
    corroborated = make_event(source=winner)
    corroborated.other_sources.set([loser])
    intake = Intake.objects.create(
        title="x", text="x", published_on=loser.published_on, source=loser
    )
    merge = merge_sources(winner=winner, loser=loser)

    assert not Source.objects.filter(pk=loser.pk).exists()
    assert Statement.objects.get(pk=statement.pk).source == winner
    assert event.__class__.objects.get(pk=event.pk).source == winner
    assert list(corroborated.other_sources.all()) == [winner]
    assert Intake.objects.get(pk=intake.pk).source == winner
    assert merge.loser_url == loser.url
    assert SourceMerge.objects.winner_of(loser_url=loser.url) == winner

    undo_merge(merge)
    assert Statement.objects.get(pk=statement.pk).source_id == loser.pk
    assert list(corroborated.other_sources.all()) == [Source.objects.get(pk=loser.pk)]
    assert SourceMerge.objects.winner_of(loser_url=loser.url) is None


def test_a_merged_actors_page_and_api_record_redirect_to_the_winners(client, twins):
    loser = twins["loser"]
    merge_actors(winner=twins["winner"], loser=loser)
    response = client.get(reverse("treaties:actor_detail", kwargs={"slug": loser.slug}))
    assert response.status_code == 301
    assert response["Location"] == twins["winner"].get_absolute_url()
    assert (
        client.get(reverse("treaties:actor_detail", kwargs={"slug": "nobody"})).status_code == 404
    )


def test_a_merged_sources_page_redirects_to_the_winners(client, db):
    winner, loser = make_source("One"), make_source("One again")
    make_statement(source=winner)
    merge_sources(winner=winner, loser=loser)
    response = client.get(reverse("treaties:source_detail", kwargs={"pk": loser.pk}))
    assert response.status_code == 301
    assert response["Location"] == winner.get_absolute_url()
    assert client.get(reverse("treaties:source_detail", kwargs={"pk": 999999})).status_code == 404


def test_a_merged_records_api_address_redirects_to_the_winners(client, twins):
    merge_actors(winner=twins["winner"], loser=twins["loser"])
    response = client.get(reverse("api:actor_detail", args=[twins["loser"].pk]))
    assert response.status_code == 301
    assert response["Location"] == reverse("api:actor_detail", args=[twins["winner"].pk])
    winner, loser = make_source("Two"), make_source("Two again")
    make_statement(source=winner)
    merge_sources(winner=winner, loser=loser)
    response = client.get(reverse("api:source_detail", args=[loser.pk]))
    assert response.status_code == 301
    assert response["Location"] == reverse("api:source_detail", args=[winner.pk])
    assert client.get(reverse("api:actor_detail", args=[999999])).status_code == 404


# The admin ----------------------------------------------------------------------------------


def _action(client, model, ids, **extra):
    url = reverse(f"admin:treaties_{model}_changelist")
    data = {"action": "merge_selected", "_selected_action": [str(i) for i in ids], **extra}
    return client.post(url, data)


def test_the_merge_action_asks_which_record_stays(editor_client, twins):
    winner, loser = twins["winner"], twins["loser"]
    response = _action(editor_client, "actor", [winner.pk, loser.pk])
    assert response.status_code == 200
    html = response.content.decode()
    assert "Merge two actors" in html
    assert "One that moves more than 500 statements is queued" in html
    assert 'name="winner"' in html and f'value="{loser.pk}"' in html
    assert "1 statement" in html  # what would move from each
    assert Actor.objects.filter(pk=loser.pk).exists()
    assert "different kinds" not in html
    state = make_actor("Russia", kind="state")
    html = _action(editor_client, "actor", [winner.pk, state.pk]).content.decode()
    assert "different kinds (person and state)" in html


def test_the_merge_action_merges_after_confirmation(editor_client, twins):
    winner, loser = twins["winner"], twins["loser"]
    response = _action(
        editor_client, "actor", [winner.pk, loser.pk], winner=str(winner.pk), post="yes"
    )
    assert response.status_code == 302
    merge = ActorMerge.objects.get()
    assert (merge.winner, merge.loser_id) == (winner, loser.pk)
    assert not Actor.objects.filter(pk=loser.pk).exists()
    # The admin's log of the winner names the merge too.
    assert LogEntry.objects.filter(object_id=str(winner.pk), change_message__contains="Merged")
    messages = [str(m) for m in editor_client.get(response["Location"]).context["messages"]]
    assert any("Undo" in m for m in messages)


def test_the_merge_action_needs_exactly_two(editor_client, twins):
    response = _action(editor_client, "actor", [twins["winner"].pk])
    assert response.status_code == 302
    messages = [str(m) for m in editor_client.get(response["Location"]).context["messages"]]
    assert any("exactly two" in m for m in messages)
    assert not ActorMerge.objects.exists()


def test_a_bad_winner_is_a_form_error_not_a_merge(editor_client, twins):
    ids = [twins["winner"].pk, twins["loser"].pk]
    response = _action(editor_client, "actor", ids, winner="999999", post="yes")
    assert response.status_code == 400
    assert "Choose one of the two selected records." in response.content.decode()
    assert not ActorMerge.objects.exists()


def test_the_undo_button_undoes_the_merge(editor_client, twins):
    merge = merge_actors(winner=twins["winner"], loser=twins["loser"])
    page = editor_client.get(reverse("admin:treaties_actormerge_change", args=[merge.pk]))
    assert page.status_code == 200
    undo_url = reverse("admin:treaties_actormerge_undo", args=[merge.pk])
    assert undo_url in page.content.decode()
    assert editor_client.get(undo_url).status_code == 405
    response = editor_client.post(undo_url)
    assert response.status_code == 302
    merge.refresh_from_db()
    assert merge.is_undone
    assert Actor.objects.filter(pk=twins["loser"].pk).exists()
    # The message links to the record brought back.
    restored = reverse("admin:treaties_actor_change", args=[twins["loser"].pk])
    assert merge.pk != twins["loser"].pk
    assert (
        f'<a href="{restored}">Maria Zajárova</a> is back' in _messages(editor_client, response)[0]
    )


def _messages(client, response) -> list[str]:
    return [str(m) for m in client.get(response["Location"]).context["messages"]]


def _work(**options):
    """One pass of the worker, as `manage.py run_worker` makes it."""
    call_command("run_worker", verbosity=0, **options)


def test_a_merge_too_large_for_a_web_request_is_queued_for_the_worker(
    editor_client, editor, twins, settings
):
    """Each statement moved costs milliseconds of trigger work: a merge that would outrun
    the web's statement timeout is queued, and the worker makes it, as the editor."""
    winner, loser = twins["winner"], twins["loser"]
    make_statement(speaker=loser)  # two statements: more than one
    settings.ROWS_CHANGED_WHILE_WAITING = 1
    merge_it = {"winner": str(winner.pk), "post": "yes"}

    response = _action(editor_client, "actor", [winner.pk, loser.pk], **merge_it)

    task = "Merge “Maria Zajárova” into “Maria Zakharova”"
    [message] = _messages(editor_client, response)
    assert message.startswith(f"Queued: {task}. It moves more than 1 statements")
    assert reverse("admin:treaties_queuedmerge_changelist") in message
    assert not ActorMerge.objects.exists() and Actor.objects.filter(pk=loser.pk).exists()
    job = QueuedMerge.objects.get()
    assert (job.requested_by, job.state, job.winner_id, job.loser_id) == (
        editor,
        "waiting",
        winner.pk,
        loser.pk,
    )
    # Asked for twice, it is queued once.
    response = _action(editor_client, "actor", [winner.pk, loser.pk], **merge_it)
    assert "this is queued already" in _messages(editor_client, response)[0]
    assert QueuedMerge.objects.count() == 1
    queue = editor_client.get(reverse("admin:treaties_queuedmerge_changelist"))
    assert task in queue.content.decode() and "waiting" in queue.content.decode()

    _work()

    merge = ActorMerge.objects.get()
    assert merge.merged_by == editor and not Actor.objects.filter(pk=loser.pk).exists()
    assert Statement.objects.filter(speaker=winner).count() == 2
    job.refresh_from_db()
    assert (job.state, job.merge_id) == ("done", merge.pk)
    assert job.outcome.startswith("Merged “Maria Zajárova” into “Maria Zakharova”: ")
    queue = editor_client.get(reverse("admin:treaties_queuedmerge_changelist")).content.decode()
    assert reverse("admin:treaties_actormerge_change", args=[merge.pk]) in queue

    # Its undo too.
    response = editor_client.post(reverse("admin:treaties_actormerge_undo", args=[merge.pk]))
    assert _messages(editor_client, response)[0].startswith(
        "Queued: Undo the merge of “Maria Zajárova” into “Maria Zakharova”."
    )
    merge.refresh_from_db()
    assert not merge.is_undone
    _work()
    merge.refresh_from_db()
    assert merge.is_undone and merge.undone_by == editor
    assert Actor.objects.get(pk=loser.pk).statements.count() == 2
    assert QueuedMerge.objects.waiting().count() == 0


def test_a_queued_merge_that_can_no_longer_be_made_says_why(editor, twins, capsys):
    winner, loser, other = twins["winner"], twins["loser"], make_actor("Maria Z.")
    first = queue_merge(winner=winner, loser=loser, user=editor)
    second = queue_merge(winner=other, loser=loser, user=editor)  # the same duplicate again

    _work()

    first.refresh_from_db(), second.refresh_from_db()
    assert first.state == "done"
    assert second.state == "failed"
    assert second.outcome == f"The actor with id {loser.pk} no longer exists."
    assert "no longer exists" in capsys.readouterr().err


def test_a_queued_merge_that_fails_is_written_down_and_the_next_one_runs(
    editor, twins, monkeypatch
):
    first = queue_merge(winner=twins["winner"], loser=twins["loser"], user=editor)
    source_winner, source_loser = make_source("One"), make_source("One again")
    second = queue_merge(winner=source_winner, loser=source_loser, user=editor)

    def broken(**records):
        raise RuntimeError("a fault of ours")

    monkeypatch.setitem(merges.KINDS, "actor", (Actor, ActorMerge, broken))
    _work()

    first.refresh_from_db(), second.refresh_from_db()
    assert first.state == "failed"
    assert "nothing was changed" in first.outcome and "a fault of ours" in first.outcome
    assert Actor.objects.filter(pk=twins["loser"].pk).exists()
    assert second.state == "done" and not Source.objects.filter(pk=source_loser.pk).exists()


def test_the_queue_is_for_those_who_may_merge(client, editor):
    clerk = User.objects.create_user("clerk", password="x", is_staff=True)
    client.force_login(clerk)
    assert client.get(reverse("admin:treaties_queuedmerge_changelist")).status_code == 403
    client.force_login(editor)
    assert client.get(reverse("admin:treaties_queuedmerge_changelist")).status_code == 200
    assert client.get(reverse("admin:treaties_queuedmerge_add")).status_code == 403
    job = queue_merge(winner=make_source("One"), loser=make_source("One again"), user=editor)
    page = client.get(reverse("admin:treaties_queuedmerge_change", args=[job.pk]))
    assert page.status_code == 200
    assert "Merge “One again” into “One”" in page.content.decode()
    assert b'name="_save"' not in page.content  # read-only: no Save


def test_the_merge_command_merges_at_once_however_large(twins, settings):
    winner, loser = twins["winner"], twins["loser"]
    make_statement(speaker=loser)
    settings.ROWS_CHANGED_WHILE_WAITING = 1

    out = io.StringIO()
    call_command("merge_records", "actor", winner=winner.pk, loser=loser.pk, stdout=out)
    merge = ActorMerge.objects.get()
    assert f"--undo {merge.pk}" in out.getvalue()
    assert not Actor.objects.filter(pk=loser.pk).exists()

    call_command("merge_records", "actor", undo=merge.pk, stdout=io.StringIO())
    merge.refresh_from_db()
    assert merge.is_undone and Actor.objects.filter(pk=loser.pk).exists()


@pytest.mark.parametrize(
    "options, message",
    [
        ({"winner": 1}, "Give --winner and --loser"),
        ({"winner": 999998, "loser": 999999}, "There is no actor 999998."),
        ({"undo": 999999}, "There is no actor merge 999999."),
    ],
)
def test_the_merge_command_answers_bad_input_clearly(db, options, message):
    with pytest.raises(CommandError, match=message):
        call_command("merge_records", "actor", **options)


def test_the_merge_command_refuses_a_record_merged_into_itself(twins):
    with pytest.raises(CommandError, match="cannot be merged into itself"):
        call_command("merge_records", "actor", winner=twins["winner"].pk, loser=twins["winner"].pk)


def test_sources_merge_through_the_admin_too(editor_client):
    winner, loser = make_source("One"), make_source("One again")
    make_statement(source=loser)
    response = _action(
        editor_client, "source", [winner.pk, loser.pk], winner=str(winner.pk), post="yes"
    )
    assert response.status_code == 302
    assert SourceMerge.objects.get().winner == winner
    assert not Source.objects.filter(pk=loser.pk).exists()


def test_editors_still_cannot_delete_actors_or_sources(editor_client, twins):
    url = reverse("admin:treaties_actor_delete", args=[twins["loser"].pk])
    assert editor_client.post(url, {"post": "yes"}).status_code == 403
    assert Actor.objects.filter(pk=twins["loser"].pk).exists()
    assert not ActorAlias.objects.filter(name="Maria Zajárova").exists()


# In a browser ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_an_editor_merges_two_actors_and_undoes_it(page, live_server, console_errors):
    make_editor(password=PASSWORD)
    winner, loser = make_actor("Maria Zakharova"), make_actor("Maria Zajárova")
    said = make_statement(speaker=loser)

    log_in(page, live_server)
    page.goto(f"{live_server.url}{reverse('admin:treaties_actor_changelist')}")
    for actor in (winner, loser):
        page.check(f"input[name=_selected_action][value='{actor.pk}']")
    page.select_option("select[name=action]", "merge_selected")
    page.click("button[name=index]")
    expect(page.locator("h1")).to_contain_text("Merge two actors")
    expect(page.locator("#content-main")).to_contain_text("1 statement (speaker)")
    page.check(f"input[name=winner][value='{winner.pk}']")
    page.click("input[value=Merge]")

    expect(page.locator(".messagelist .success")).to_contain_text("Merged “Maria Zajárova”")
    assert Statement.objects.get(pk=said.pk).speaker_id == winner.pk
    page.click("text=Undo the merge")
    page.click("text=Undo this merge")
    expect(page.locator(".messagelist .success")).to_contain_text("is back, with its rows")
    assert Statement.objects.get(pk=said.pk).speaker_id == loser.pk
    assert console_errors == []


def test_a_statement_s_history_keeps_its_links_through_a_merge_and_its_undo(db):
    from treaties.recovery import version_links

    winner, loser = make_actor(name="Maria Zakharova"), make_actor(name="Marija Sacharowa")
    statement = make_statement()
    statement.mentions.set([loser])

    merge = merge_actors(winner=winner, loser=loser)
    assert version_links(statement.history.latest())["mentions"] == [winner.pk]
    undo_merge(merge)
    assert version_links(statement.history.latest())["mentions"] == [loser.pk]


def test_a_version_written_by_a_merge_keeps_the_record_s_other_links(db):
    # The merge moves the speaker; the statement's new version must still hold its treaties
    # and topics, or reverting to it would drop them.
    from treaties.models import Topic
    from treaties.recovery import version_links

    winner, loser = make_actor(name="Maria Zakharova"), make_actor(name="Marija Sacharowa")
    topic = Topic.objects.create(name="Inspections", slug="inspections")
    treaty = make_treaty()
    statement = make_statement(speaker=loser, treaties=[treaty])
    statement.topics.add(topic)

    merge = merge_actors(winner=winner, loser=loser)
    moved = statement.history.latest()
    assert moved.speaker_id == winner.pk
    assert version_links(moved) == {"treaties": [treaty.pk], "mentions": [], "topics": [topic.pk]}
    undo_merge(merge)
    restored = statement.history.latest()
    assert restored.speaker_id == loser.pk
    assert version_links(restored)["topics"] == [topic.pk]
    assert version_links(restored)["treaties"] == [treaty.pk]


def test_a_link_the_merge_deletes_as_a_duplicate_leaves_a_true_version_and_comes_back(db):
    # The statement mentions both records; merged, it mentions the winner once, and its
    # history says so; the undo brings the second mention back, in its history too.
    from treaties.recovery import version_links

    winner, loser = make_actor(name="Maria Zakharova"), make_actor(name="Marija Sacharowa")
    statement = make_statement(speaker=loser)
    statement.mentions.set([loser, winner])

    merge = merge_actors(winner=winner, loser=loser)
    assert list(statement.mentions.values_list("pk", flat=True)) == [winner.pk]
    assert version_links(statement.history.latest())["mentions"] == [winner.pk]
    undo_merge(merge)
    both = sorted([loser.pk, winner.pk])
    assert sorted(statement.mentions.values_list("pk", flat=True)) == both
    latest = statement.history.latest()
    assert latest.speaker_id == loser.pk
    assert sorted(version_links(latest)["mentions"]) == both
