"""The menu asks the policy: each role is offered exactly the pages that answer it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from organisation import navigation
from organisation.models import Role

ROLE_USERS = ["specialist", "head", "director", "registrar", "administrator"]


@pytest.mark.parametrize("who", ROLE_USERS)
def test_every_menu_item_answers_and_every_other_guarded_page_refuses(client, request, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    shown = {e["url_name"] for e in navigation.items_for(user)}
    for item in navigation.NAV_ITEMS:
        if item.url_name.startswith("admin:"):
            continue  # the admin site has its own login and tests
        response = client.get(reverse(item.url_name))
        if item.url_name in shown:
            assert response.status_code in (200, 302), (who, item.url_name)
            if response.status_code == 302:
                assert not response["Location"].startswith(reverse("login")), item.url_name
        elif item.roles is None:
            assert response.status_code == 403, (who, item.url_name, response.status_code)


def test_the_case_lists_are_no_empty_shells_for_the_administrator_and_the_registrar(
    client, administrator, registrar
):
    """Separation of duties: the administrator keeps the staff and reference data; the
    registrar keeps the appeals. Neither is offered a list of children's records."""
    for user in (administrator, registrar):
        client.force_login(user)
        for name in ("recipients:list", "services:journal", "services:programmes"):
            assert client.get(reverse(name)).status_code == 403, (user.role, name)


def test_a_view_outside_the_policy_names_its_roles():
    for item in navigation.NAV_ITEMS:
        assert item.roles is not None or navigation.view_action(item.url_name), item.url_name


def test_an_account_awaiting_the_directors_confirmation_sees_only_what_is_open_to_all(
    specialist,
):
    nobody = specialist
    nobody.awaiting_confirmation = True
    assert nobody.role == Role.NONE
    assert {e["url_name"] for e in navigation.items_for(nobody)} == {"home", "services:catalogue"}


def test_the_menu_follows_the_url_prefix_it_is_served_under(client, head):
    """The entries' addresses are reversed once per URL prefix (not per page): a centre that
    serves the system under a path of its site gets that path in every entry."""
    from django.urls import get_script_prefix, set_script_prefix

    before = get_script_prefix()
    try:
        set_script_prefix("/srcn/")
        under_path = {e["url_name"]: e["url"] for e in navigation.items_for(head)}
    finally:
        set_script_prefix(before)
    at_root = {e["url_name"]: e["url"] for e in navigation.items_for(head)}
    assert under_path["recipients:list"] == "/srcn" + at_root["recipients:list"]
    assert all(url == "/srcn" + at_root[name] for name, url in under_path.items())
    client.force_login(head)
    page = client.get(reverse("home")).content.decode()
    assert f'href="{at_root["recipients:list"]}"' in page


# base.html's loop over the menu, as it was before the menu was written in Python
# (navigation.menu_html): the markup must stay the same for every role and every active page.
_TEMPLATE_LOOP = """{% for item in menu %}{% if item.children %}<li class="nav-item dropdown">
<a class="nav-link dropdown-toggle{% if active in item.url_names %} active{% endif %}" href="#"
 role="button" data-bs-toggle="dropdown" aria-expanded="false">{% if item.icon %}<i class="bi
 bi-{{ item.icon }}" aria-hidden="true"></i> {% endif %}{{ item.label }}</a><ul
 class="dropdown-menu">{% for child in item.children %}<li><a class="dropdown-item{% if active
 == child.url_name %} active{% endif %}" href="{{ child.url }}">{% if child.icon %}<i class="bi
 bi-{{ child.icon }}" aria-hidden="true"></i> {% endif %}{{ child.label }}</a></li>{% endfor
 %}</ul></li>{% else %}<li class="nav-item{% if item.url_name == 'home' %} d-xl-none
 d-xxl-block{% endif %}"><a class="nav-link{% if active == item.url_name %} active{% endif %}"
 href="{{ item.url }}">{% if item.icon %}<i class="bi bi-{{ item.icon }}" aria-hidden="true"></i>
 {% endif %}{{ item.label }}</a></li>{% endif %}{% endfor %}"""


def _same_markup(html: str) -> str:
    import re

    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


@pytest.mark.parametrize("who", ROLE_USERS)
def test_the_menu_written_in_python_is_the_markup_of_the_template_loop(request, who):
    from django.template import engines

    user = request.getfixturevalue(who)
    visible = navigation.visible_items(user)
    loop = engines["django"].from_string(_TEMPLATE_LOOP.replace("\n", " "))
    for active in ["", "home", "no:such_page", *(i.url_name for i in navigation.NAV_ITEMS)]:
        expected = loop.render({"menu": navigation.menu_of(visible), "active": active})
        made = navigation.menu_html(visible, active)
        assert _same_markup(made) == _same_markup(expected), (who, active)
        shown = active in {i.url_name for i in visible}
        assert (" active" in made) == shown, (who, active)  # the loop's test is not vacuous
