import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from treaties.management.commands import create_editor

from .conftest import make_editor

pytestmark = pytest.mark.django_db

STRONG = "vodka-samovar-telemetry-1987"


def run(*args, **options):
    out = io.StringIO()
    call_command("create_editor", *args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


@pytest.fixture
def terminal(monkeypatch):
    """Make the command believe it runs in a terminal; answers are queued per prompt."""
    answers = {"input": [], "getpass": []}
    monkeypatch.setattr(create_editor, "stdin_is_terminal", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt="": answers["input"].pop(0))
    monkeypatch.setattr(
        create_editor.getpass, "getpass", lambda prompt="": answers["getpass"].pop(0)
    )
    return answers


def assert_is_editor(user):
    assert user.is_staff
    assert user.is_active
    assert not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Editors"]


def test_generated_password_is_printed_and_works():
    output = run("alice", "--email", "alice@example.org", "--generate-password")

    user = User.objects.get(username="alice")
    assert_is_editor(user)
    assert user.email == "alice@example.org"
    password = output.split("Password: ", 1)[1].split()[0]
    assert len(password) >= 30
    assert user.check_password(password)
    assert password not in repr(user.password)


def test_generated_passwords_differ():
    first = run("alice", "--generate-password").split("Password: ")[1].split()[0]
    second = run("bob", "--generate-password").split("Password: ")[1].split()[0]
    assert first != second


@pytest.mark.parametrize("name", ["alice", "Alice"])
def test_an_existing_name_is_refused(name):
    make_editor("alice")
    with pytest.raises(CommandError, match=r"A user named “.*” already exists"):
        run(name, "--generate-password")
    assert User.objects.count() == 1


def test_a_bad_name_or_email_is_refused():
    with pytest.raises(CommandError, match="not a valid user name"):
        run("no spaces please", "--generate-password")
    with pytest.raises(CommandError, match="not a valid e-mail address"):
        run("alice", "--email", "alice-at-example", "--generate-password")
    assert not User.objects.exists()


def test_without_a_terminal_it_asks_for_what_it_cannot_prompt_for(monkeypatch):
    monkeypatch.setattr(create_editor, "stdin_is_terminal", lambda: False)
    with pytest.raises(CommandError, match="Give the editor's user name"):
        run()
    with pytest.raises(CommandError, match="--generate-password"):
        run("alice")
    assert not User.objects.exists()


def test_asks_the_password_twice_until_they_match_and_are_strong(terminal):
    terminal["getpass"] = [STRONG, "a typo", "123", "123", STRONG, STRONG]

    output = run("alice")

    user = User.objects.get(username="alice")
    assert_is_editor(user)
    assert user.check_password(STRONG)
    assert "Password:" not in output
    assert terminal["getpass"] == []


def test_asks_the_name_and_generates_a_password_when_left_empty(terminal):
    terminal["input"] = ["  bob  "]
    terminal["getpass"] = [""]

    output = run()

    user = User.objects.get(username="bob")
    assert_is_editor(user)
    assert user.check_password(output.split("Password: ", 1)[1].split()[0])
