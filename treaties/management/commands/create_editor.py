"""Create an editor: a staff account in the Editors group, never a superuser.

    manage.py create_editor            asks for the name, then a password (empty: generated)
    manage.py create_editor NAME       asks for a password twice
    manage.py create_editor NAME --generate-password   prints a generated one

No account or password is built in anywhere; this is how an editor gets one.
"""

import getpass
import secrets
import sys

from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

EDITORS = "Editors"


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


class Command(BaseCommand):
    help = "Create an editor account (staff, in the Editors group, not a superuser)."

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", help="Asked for when left out.")
        parser.add_argument("--email", default="", help="The editor's e-mail address.")
        parser.add_argument(
            "--generate-password",
            action="store_true",
            help="Generate a strong password and print it, instead of asking for one.",
        )

    def handle(self, *args, username, email, generate_password, **options):
        interactive = stdin_is_terminal()
        if not username:
            if not interactive:
                raise CommandError("Give the editor's user name: manage.py create_editor NAME")
            username = input("Editor's user name: ").strip()
        username = self.checked_username(username)
        try:
            group = Group.objects.get(name=EDITORS)
        except Group.DoesNotExist:
            raise CommandError(
                f"The {EDITORS} group does not exist yet: run `manage.py migrate` first."
            ) from None

        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise CommandError(f"“{email}” is not a valid e-mail address.") from None
        user = User(username=username, email=email, is_staff=True)
        if generate_password:
            password = ""
        elif interactive:
            password = self.ask_password(user)
        else:
            raise CommandError(
                "No terminal to type a password in: run it in a terminal, "
                "or add --generate-password to have one generated and printed."
            )

        generated = not password
        if generated:
            password = secrets.token_urlsafe(24)
        with transaction.atomic():
            user.set_password(password)
            user.save()
            user.groups.add(group)

        self.stdout.write(self.style.SUCCESS(f"Editor “{username}” created."))
        if generated:
            self.stdout.write(f"Password: {password}")
            self.stdout.write("It is shown once: give it to the editor, who can change it.")

    def checked_username(self, username: str) -> str:
        if not username:
            raise CommandError("The user name cannot be empty.")
        try:
            User.username_validator(username)
        except ValidationError as error:
            message = error.messages[0]
            raise CommandError(f"“{username}” is not a valid user name: {message}") from None
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(
                f"A user named “{username}” already exists: choose another name "
                "(passwords are changed in the admin or with `manage.py changepassword`)."
            )
        return username

    def ask_password(self, user: User) -> str:
        """A password typed twice and accepted by the validators, or "" to generate one."""
        while True:
            password = getpass.getpass("Password (leave empty to generate one): ")
            if not password:
                return ""
            if password != getpass.getpass("Password again: "):
                self.stderr.write("The two passwords differ; try again.")
                continue
            try:
                validate_password(password, user)
            except ValidationError as error:
                self.stderr.write(" ".join(error.messages))
                continue
            return password
