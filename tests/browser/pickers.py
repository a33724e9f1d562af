"""Driving the type-to-search pickers (static/js/pickers.js, Tom Select) as a user does."""

from __future__ import annotations

from playwright.sync_api import expect


def pick(page, name: str, typed: str, choose: str) -> None:
    """Type ``typed`` into the picker of ``select[name=name]`` and click the hit ``choose``.

    ``choose`` is part of the hit's text (a name; hits read "name · code · unit").
    """
    field_id = page.locator(f"main form select[name='{name}']").get_attribute("id")
    box = page.locator(f"#{field_id}-ts-control")
    # The control around the typing box, as a user clicks it (with a value chosen, the box
    # itself is a narrow input beside the value).
    hit = page.locator(f"#{field_id}-ts-dropdown .option", has_text=choose).first
    for attempt in range(2):
        box.locator("xpath=ancestor::div[contains(@class, 'ts-control')][1]").click()
        box.fill("")
        box.press_sequentially(typed)
        # The hits come from the server after a throttle: on a loaded CI machine that can
        # take longer than the default five seconds. Typed slowly there, a search overtaken
        # by the next keystroke is aborted and may leave the list empty: a user types again.
        try:
            expect(hit).to_be_visible(timeout=15_000 if attempt else 10_000)
            break
        except AssertionError:
            if attempt:
                raise
    hit.click()
    page.keyboard.press("Escape")  # close a multiple picker's list before the next field
