"""Helpers for tests of imports with preview and confirmation (core.imports)."""

import re

TOKEN = re.compile(r'name="token" value="([^"]+)"')


def token_of(response) -> str | None:
    found = TOKEN.search(response.content.decode())
    return found.group(1) if found else None


def confirm_preview(client, url, response, take_over=(), follow=True):
    """Confirm the preview `response` shows (following the redirect); a response without a
    preview (a refused file) is returned as it is."""
    token = token_of(response)
    if token is None:
        return response
    return client.post(url, {"token": token, "take_over": list(take_over)}, follow=follow)
