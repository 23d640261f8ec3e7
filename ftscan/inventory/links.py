"""Where a place of the inventory links to on the HTML page.

One repository's page links to its files relatively (`path#Lline`), as it sits in the
repository. An estate's page links to each repository's host at the commit scanned
(`https://github.com/acme/api/blob/<commit>/path#Lline`) when the repository's URL and
commit are known, else to nothing. Every link is percent-encoded, so a file name cannot
become a URL scheme.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from ftscan.inventory.plan import Inventory, Place


class Links:
    def __init__(self, plan: Inventory) -> None:
        self.estate = plan.estate
        self.repositories = {
            r.name: "/".join(filter(None, (r.url, "blob", r.commit, r.directory and _quoted(r.directory))))
            for r in plan.repositories
            if r.url and r.url.startswith("https://") and r.commit and r.scanned
        }

    def href(self, place: Place) -> str | None:
        """The escaped link to a place, or None when it has none."""
        if not self.estate:
            return escape(f"{_quoted(place.path)}#L{place.line}")
        repo, _, path = place.path.partition(":")
        base = self.repositories.get(repo)
        return escape(f"{base}/{_quoted(path)}#L{place.line}") if base else None

    def link(self, place: Place, shown: str | None = None) -> str:
        """`<a href=...><code>path:line</code></a>` (or `shown` for `path:line`), or the code
        alone without a link."""
        text = f"<code>{escape(shown or place.where)}</code>"
        href = self.href(place)
        return f'<a href="{href}">{text}</a>' if href else text


def _quoted(path: str) -> str:
    """A path in a URL: percent-encoded UTF-8, and a file name's bytes that are not UTF-8
    (kept as surrogate escapes) encoded as the bytes they are."""
    return quote(path, safe="/", errors="surrogateescape")
