"""The Editors group is made, with exactly its permissions, by migrate and after a flush."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command


def permissions():
    group = Group.objects.get(name="Editors")
    return set(group.permissions.values_list("content_type__app_label", "codename"))


@pytest.mark.django_db(transaction=True)
def test_editors_get_back_their_permissions_after_a_flush():
    before = permissions()
    call_command("flush", interactive=False, verbosity=0)
    assert permissions() == before


@pytest.mark.django_db
def test_editors_can_enter_records_and_use_intake_but_not_manage_users():
    granted = permissions()
    assert ("treaties", "add_statement") in granted
    assert ("treaties", "delete_statement") in granted
    assert ("treaties", "delete_source") not in granted  # sources are never deleted
    assert ("intake", "add_intake") in granted
    assert not {codename for app, codename in granted if app == "auth"}
