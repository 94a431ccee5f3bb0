"""A generator of synthetic news articles about violence in Syria, for benchmarks and scale tests.

The articles are made from templates written for this project (no sentence of a real article): a headline, a toll
attributed to a monitor, a witness account with a caveat, dates relative and absolute, governorates and towns, plus the
faults real pages show — site chrome, an advertisement marker, a duplicated sentence, a photo caption and a syndication
footer. Half are HTML pages, half plain text. Seeded: the same seed gives the same corpus.
"""

from __future__ import annotations

import datetime as dt
import html
import random
from pathlib import Path

TOWNS = [("Baniyas", "Tartus"), ("Jableh", "Latakia"), ("Latakia", "Latakia"), ("Tartus", "Tartus"),
         ("Hama", "Hama"), ("Homs", "Homs"), ("Masyaf", "Hama"), ("Idlib", "Idlib"), ("Aleppo", "Aleppo"),
         ("Daraa", "Daraa"), ("Douma", "Rif Dimashq"), ("Qardaha", "Latakia")]
MONITORS = ["the Syrian Observatory for Human Rights", "the Syrian Network for Human Rights", "local medics",
            "the health ministry", "a national inquiry"]
OUTLETS = ["Coastline Herald", "Levant Daily Wire", "Orontes Post", "Northern Plains Courier"]
NUMBER_WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "a dozen", "dozens of",
                "scores of", "hundreds of"]
VICTIMS = ["people", "civilians", "members of the security forces", "fighters", "women and children"]
OUTCOMES = ["were killed", "were injured", "died", "were detained", "were reported missing"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _count(rng: random.Random) -> str:
    if rng.random() < 0.6:
        n = rng.choice([rng.randint(2, 60), rng.randint(60, 900), rng.randint(900, 3000)])
        qualifier = rng.choice(["", "at least ", "more than ", "about ", "nearly "])
        return f"{qualifier}{n:,}"
    return rng.choice(NUMBER_WORDS)


def article(rng: random.Random, index: int) -> tuple[str, str, str]:
    """One article as (title, body paragraphs joined by blank lines, ISO publication date)."""
    published = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 300))
    event = published - dt.timedelta(days=rng.randint(1, 6))
    town, governorate = rng.choice(TOWNS)
    monitor = rng.choice(MONITORS)
    title = f"Violence flares near {town} as toll rises ({index})"
    paragraphs = [
        f"{_count(rng).capitalize()} {rng.choice(VICTIMS)} {rng.choice(OUTCOMES)} in {town} in {governorate} "
        f"governorate on {WEEKDAYS[event.weekday()]}, according to {monitor}.",
        f"The fighting began on {event.day} {event:%B} after gunmen attacked a checkpoint on the road to {town}. "
        f"Residents said {_count(rng)} {rng.choice(VICTIMS)} {rng.choice(OUTCOMES)} in the first hours.",
        "A resident who asked not to be named said armed men went from house to house. "
        "The account could not be independently verified.",
        f"Security forces said on {WEEKDAYS[published.weekday()]} that the situation was under control, while "
        f"{monitor} put the toll for the past week at {_count(rng)} {rng.choice(VICTIMS)} killed.",
    ]
    repeat = rng.choice(paragraphs[:2]).split(". ")[0] + "."
    paragraphs[2] += " " + repeat + " " + repeat if rng.random() < 0.3 else ""
    caption = (f"Smoke rises over {town}, {event.day} {event:%B %Y}. Photograph: Staff/"
               f"{rng.choice(OUTLETS)}")
    paragraphs.insert(2, caption)
    return title, "\n\n".join(paragraphs), published.isoformat()


def write_corpus(folder: Path, n: int, seed: int = 7) -> list[Path]:
    """Write ``n`` articles into ``folder``; return their paths."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        title, body, published = article(rng, i)
        outlet = rng.choice(OUTLETS)
        if i % 2:
            path = folder / f"article_{i:06d}.html"
            paras = "".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n\n"))
            path.write_text(
                f'<!doctype html><html><head><title>{html.escape(title)}</title>'
                f'<meta property="article:published_time" content="{published}T08:00:00Z">'
                f'<meta property="og:site_name" content="{outlet}"></head><body>'
                f'<nav><a href="/">Home</a> <a href="/world">World</a></nav><article><h1>{html.escape(title)}</h1>'
                f"{paras}</article><aside>Advertisement</aside><footer>Subscribe to our newsletter</footer>"
                f"</body></html>",
                encoding="utf-8",
            )
        else:
            path = folder / f"article_{i:06d}.txt"
            path.write_text(
                f"Become a member\n\n― Advertisement ―\n\n{title}\n\n{body}\n\n"
                f"The post {title} appeared first on {outlet}.\n",
                encoding="utf-8",
            )
        paths.append(path)
    return paths
