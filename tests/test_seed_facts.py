"""The seed's treaty facts on the treaty pages: signers, successor states, withdrawn parties."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from treaties.models import Treaty, TreatyParty, TreatySigner
from treaties.treaty_page import read_treaty


@pytest.fixture
def seeded(db):
    call_command("load_seed_data", stdout=io.StringIO())


def page(client, slug):
    response = client.get(reverse("treaties:treaty_detail", kwargs={"slug": slug}))
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_inf_shows_the_soviet_signature_and_russia_as_successor(client, seeded):
    inf = Treaty.objects.get(slug="inf")
    signers = {(s.signer.slug, s.on_behalf_of.slug) for s in inf.signers.all()}
    assert signers == {("ronald-reagan", "united-states"), ("mikhail-gorbachev", "soviet-union")}
    russia = TreatyParty.objects.get(treaty=inf, state__slug="russia")
    assert russia.note.startswith("Successor state of the Soviet Union")
    html = page(client, "inf")
    assert 'by <a href="/actors/ronald-reagan/">Ronald Reagan</a> for' in html.replace(
        reverse("treaties:actor_detail", kwargs={"slug": "ronald-reagan"}), "/actors/ronald-reagan/"
    )
    assert "Mikhail Gorbachev" in html and "Soviet Union" in html
    assert "Successor state of the Soviet Union" in html


def test_new_start_names_its_signers(client, seeded):
    html = page(client, "new-start")
    assert "Barack Obama" in html and "Dmitry Medvedev" in html
    assert "8 April 2010</time>, Prague" in html


def test_open_skies_is_not_shown_in_force_with_only_withdrawn_parties(client, seeded):
    open_skies = read_treaty("open-skies")
    assert open_skies.in_force_only_among_others
    html = page(client, "open-skies")
    assert "In force among other states parties" in html
    assert "Every party listed here has withdrawn." in html
    assert ">In force<" not in html
    assert "a party from the treaty's entry into force on 1 January 2002" in html.replace(
        "&#x27;", "'"
    )


def test_a_treaty_with_a_remaining_party_is_simply_in_force(seeded):
    open_skies = Treaty.objects.get(slug="open-skies")
    open_skies.treatyparty_set.filter(state__slug="russia").update(withdrew_on=None)
    assert not read_treaty("open-skies").in_force_only_among_others


def test_signers_are_added_once_and_a_deleted_one_stays_deleted(seeded):
    TreatySigner.objects.get(signer__slug="barack-obama").delete()
    call_command("load_seed_data", stdout=io.StringIO())
    assert not TreatySigner.objects.filter(signer__slug="barack-obama").exists()
    assert TreatySigner.objects.count() == 3


def test_editors_enter_signers_on_the_treaty_page(editor_client, seeded):
    treaty = Treaty.objects.get(slug="inf")
    response = editor_client.get(reverse("admin:treaties_treaty_change", args=[treaty.pk]))
    assert response.status_code == 200
    assert 'id="signers-group"' in response.content.decode()
