"""The review lexicon: categories of words and phrases worth a human look, and benign idioms.

A lexicon is a set of named categories (insult, threat, discriminatory, confidential, ...),
each a list of words or phrases (term syntax: `chat_review.analysis.matcher`). A message
containing a term is listed *for a human look*: a match is a prompt to read the message in
context, never a verdict. ``exclude`` lists everyday idioms ("to die for", "killing me",
"had a blast") whose words must not count: a term found inside one of them is ignored.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources


@dataclass
class Lexicon:
    """Review categories -> terms, with a one-line description per category.

    ``exclude``: benign idioms; a term matched inside one is not a match. ``source`` says where
    the terms came from.
    """

    categories: dict[str, list[str]] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    source: str = "built-in lexicon"
    exclude: list[str] = field(default_factory=list)

    @classmethod
    def default(cls) -> Lexicon:
        """The lexicon shipped as package data (``chat_review/data/lexicon.toml``)."""
        return _default_lexicon()

    def combined(
        self, categories: dict[str, list[str]], *, mode: str, source: str,
        exclude: list[str] | None = None,
    ) -> Lexicon:
        """This lexicon extended by (``mode="extend"``) or replaced by (``"replace"``) a
        config's categories; extending adds terms to a category of the same name. The
        config's ``exclude`` idioms are added to the built-in ones in either mode."""
        if mode == "replace":
            cats = {k: list(v) for k, v in categories.items()}
            src = f"{source} (replaces the built-in lexicon)"
        else:
            cats = {k: list(v) for k, v in self.categories.items()}
            for k, terms in categories.items():
                known = cats.setdefault(k, [])
                known += [t for t in terms if t not in known]
            src = f"{self.source} extended by {source}" if categories else self.source
        desc = {k: self.descriptions.get(k, "") for k in cats}
        extra = [t for t in (exclude or []) if t not in self.exclude]
        return Lexicon(cats, desc, src, [*self.exclude, *extra])


_default_cache: Lexicon | None = None


def _default_lexicon() -> Lexicon:
    global _default_cache
    if _default_cache is None:
        raw = resources.files("chat_review").joinpath("data/lexicon.toml").read_bytes()
        data = tomllib.loads(raw.decode("utf-8"))
        idioms = data.pop("exclude", {})
        cats = {k: [str(t) for t in v["terms"]] for k, v in data.items()}
        desc = {k: str(v.get("description", "")) for k, v in data.items()}
        _default_cache = Lexicon(cats, desc, "built-in lexicon",
                                 [str(t) for t in idioms.get("idioms", [])])
    # hand out a copy: callers may extend it
    return Lexicon(
        {k: list(v) for k, v in _default_cache.categories.items()},
        dict(_default_cache.descriptions),
        _default_cache.source,
        list(_default_cache.exclude),
    )


