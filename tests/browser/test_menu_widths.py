"""The menu bar shows every item at every desktop width, in both languages: at 1280 px the
Thai labels once ran past the edge and the last items hid behind a scroll bar."""

import pytest

from core.roles import Role

from ..browser_support import choose_language, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each item's box, whether the page shows it there (not clipped by its list or the
# window), and the list's overflow.
MEASURE = """() => {
  const list = document.querySelector('.bb-subnav .nav');
  const box = list.getBoundingClientRect();
  return {
    overflow: list.scrollWidth - list.clientWidth,
    items: [...list.querySelectorAll('.nav-link')].map(link => {
      const r = link.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return {
        key: link.dataset.nav,
        inside: r.left >= box.left - 0.5 && r.right <= box.right + 0.5
          && r.right <= window.innerWidth,
        shown: hit !== null && link.contains(hit),
      };
    }),
  };
}"""


def test_every_menu_item_is_on_screen_from_800_to_1440_px(live_portal, make_user, password):
    # The longest menu: a user with every role.
    user = make_user(Role.FAO)
    for role in (Role.SDO, Role.SEO, Role.EXECUTIVE):
        user.groups.add(*make_user(role).groups.all())
    page = live_portal
    log_in(page, user.username, password)
    for language in ("th", "en"):
        choose_language(page, language)
        for width in (800, 1024, 1280, 1440):
            page.set_viewport_size({"width": width, "height": 900})
            measured = page.evaluate(MEASURE)
            assert len(measured["items"]) >= 10
            hidden = [i["key"] for i in measured["items"] if not (i["inside"] and i["shown"])]
            assert (language, width, hidden, measured["overflow"]) == (language, width, [], 0)
