"""Why an item is in someone's feed: a reason code, its parameters and a readable sentence.

Sentences are English msgids; the web layer translates them with the interface catalogues
(zh, es) and fills in the parameters, which are names from the community itself (people,
tags, categories, note titles) and so stay as written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# code -> English sentence (the msgid the catalogues translate).
REASONS: dict[str, str] = {
    "follow": "You follow %(name)s",
    "bought_saved": "People who bought %(name)s saved this",
    "bought_liked": "People who bought %(name)s liked this",
    "people_saved": "People like you saved this",
    "people_liked": "People like you liked this",
    "people_commented": "People like you commented on this",
    "because_you_liked": "Because you liked “%(name)s”",
    "because_you_saved": "Because you saved “%(name)s”",
    "similar_to": "Similar to “%(name)s”",
    "community": "From a community you are in: %(name)s",
    "trending": "Trending in %(name)s",
    "interest": "Matches your interest: %(name)s",
    "new_creator": "New creator",
    "new_creator_in": "New creator in %(name)s",
    "popular": "Popular on Nichely",
    "same_product": "About the same product",
    "people_like_you": "Likes what you like",
    "in_community": "In your community: %(name)s",
    "followed_by_people_you_follow": "Followed by people you follow",
}


@dataclass(frozen=True)
class Reason:
    """One explanation: a code from `REASONS` and the values its sentence names."""

    code: str
    params: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in REASONS:
            raise ValueError(f"unknown reason {self.code!r}; choose from {sorted(REASONS)}")

    @property
    def message(self) -> str:
        """The English sentence before translation (the msgid)."""
        return REASONS[self.code]

    def text(self, gettext: Callable[[str], str] | None = None) -> str:
        """The sentence in the language of `gettext` (English without one), parameters filled in."""
        template = gettext(self.message) if gettext is not None else self.message
        try:
            return template % self.params if self.params else template
        except (KeyError, ValueError, TypeError):
            return self.message % self.params if self.params else self.message


def short(title: str, limit: int = 40) -> str:
    """A note title short enough to quote in a reason."""
    title = " ".join(title.split())
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def community_name(tags: list[str]) -> str:
    """A community named by its top tags, e.g. "dorm · desk lamp"."""
    return " · ".join(tags[:2]) if tags else "#"
