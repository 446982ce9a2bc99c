"""Realistic generated WhatsApp exports for `make bench`: chats the way school chats look.

What real class-group exports have and a uniform generator lacks (issue 13): conversations in
threads around drop-off, lunch and the evening; **bursts** (one sender, 6-18 messages within
minutes, mostly late evening, where most review words fall); review hits in a realistic share
(about 1 % of texts, rude, threatening or confidential, plus harmless uses such as "I could
kill for a coffee"); media and deleted placeholders; edited markers; system events (joined,
left, added, removed, subject and icon changes); long multi-line messages (lists, pasted
newsletters); 25+ senders with a few very active ones, names with accents and emoji, some
saved only as a phone number (07700 900000-900999 only); weekends and holidays quieter.
Android and iOS layouts; a group chat or a one-to-one chat with the class teacher.

Invented names only. Deterministic for a given (n, platform, kind, seed); `VERSION` changes
whenever the output would, so cached files are rebuilt.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

VERSION = 2
FIRST = ["Amelia", "Noah", "Isla", "Leo", "Ava", "Oscar", "Freya", "Arlo", "Ivy", "Theo",
         "Rosie", "Finley", "Maya", "Jude", "Elsie", "Ezra", "Poppy", "Reuben", "Nia", "Kai",
         "Zoë", "Aoife", "Siobhán", "Kwame", "Priya", "Mateusz", "Yusuf", "Chloé", "Tomás"]
LAST = ["Whitlock", "Mensah", "Aldridge", "Fairbairn", "Okonkwo", "Lindqvist", "Baptiste",
        "Hargreaves-Montgomery", "Ångström", "Nowak", "Begum", "O'Connell", "Achterberg"]
STAFF = "Adaeze Okafor"
GROUP = "Year 4 Hedgehogs Parents 🦔"
CHILDREN = ["Alfie", "Bea", "Cody", "Daisy", "Eli", "Florence", "Gus", "Hattie", "Ibrahim"]
THINGS = ["PE kit", "reading book", "water bottle", "trip form", "£3.50 for the trip",
          "packed lunch", "costume for World Book Day", "homework sheet", "spelling list",
          "cardigan", "library book", "harvest festival donation", "wellies"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "tomorrow", "today",
        "next week", "after half-term"]
TEXTS = [
    "Does anyone know if it's {thing} on {day}?", "Thanks!", "Thank you 😊", "👍", "🙏",
    "Has anyone seen a {thing} with {child}'s name in it?", "Yes it is",
    "No I think it's {day}", "Can someone send me the letter about the {thing} please",
    "Lovely assembly today, well done everyone", "Who's doing pick up {day}?",
    "Reminder: {thing} {day} x", "Sorry, {child} has taken the wrong {thing} home!",
    "Is Mrs Okafor back {day}?", "I'll ask at the gate", "Same here", "Ha ha 😂",
    "Does anyone have a spare {thing} {child} could borrow?", "Brilliant, thanks",
    "Just checked ParentPay, it's on there now", "Running late, can anyone grab {child}?",
    "Happy birthday {child}! 🎂🎉", "Anyone else's child come home without a {thing}?",
    "It was in the newsletter", "Ok great", "Not sure, sorry", "Me too",
    "The office said {day}", "Can we do a collection for Mrs Okafor at the end of term?",
    "I'm in for £5", "Is it non-uniform {day}?", "Swimming is {day} this half term",
]
HITS = [  # words from the default lexicon, in sentences parents write
    "This is ridiculous, the office is useless at replying", "Honestly they are so incompetent",
    "I'm putting in a formal complaint about this", "That teacher is an absolute idiot",
    "If nobody sorts this I will go to the papers", "I know where you live, just saying",
    "You'll regret speaking to my son like that", "This is a safeguarding issue surely?",
    "Stop lying about what happened at pick up", "Shut up and let the school deal with it",
    "I could kill for a coffee after that trip", "Piss off with the collection messages",
    "He came home with a bruise, someone punched him", "Social services have been involved",
    "What a pathetic excuse from the school", "Total rubbish, nobody was told",
]
RANT = ["I've had enough of this", "Nobody is answering me", "Why is it always {child}?",
        "I've emailed three times now", "Not acceptable", "Someone needs to do something",
        "I will be at the gate {day}", "Unbelievable", "Seriously??", "Read the letter again",
        "This happens every single week", "And another thing"]
NEWSLETTER = ["Dear parents and carers,", "Please remember that {thing} is needed {day}.",
              "The school office opens at 8:15.", "Clubs restart after half-term; sign up on "
              "ParentPay.", "Thank you for your support, - Year 4 team",
              "• Monday: PE (outdoor)", "• Wednesday: swimming", "• Friday: spellings test",
              "Any questions please speak to Mrs Okafor at the door."]
HOUR_WEIGHTS = [0.3, 0.1, 0.05, 0.02, 0.02, 0.1, 1.0, 4.0, 5.0, 2.0, 1.2, 1.2, 2.0, 1.2, 1.2,
                3.5, 3.0, 2.5, 3.0, 4.5, 5.0, 4.5, 2.5, 1.0]
MEDIA = {"android": ["<Media omitted>"],
         "ios": ["\u200eimage omitted", "\u200evideo omitted", "\u200esticker omitted",
                 "\u200eGIF omitted", "\u200eaudio omitted"]}
DELETED = {"android": "This message was deleted", "ios": "\u200eThis message was deleted."}
EDITED = {"android": " <This message was edited>", "ios": " \u200e<This message was edited>"}


def people(n_parents: int, rng: random.Random) -> list[str]:
    """Invented parents: 'First Last', a few with emoji, a few saved only as a number."""
    names = []
    for i in range(n_parents):
        if i % 9 == 8:
            names.append(f"+44 7700 900{(i * 37) % 1000:03d}")
            continue
        name = f"{FIRST[i % len(FIRST)]} {LAST[(i * 7 + i // len(FIRST)) % len(LAST)]}"
        names.append(name + (" 🌸" if i % 11 == 5 else ""))
    rng.shuffle(names)
    return names


def _fill(template: str, rng: random.Random) -> str:
    return template.format(thing=rng.choice(THINGS), day=rng.choice(DAYS),
                           child=rng.choice(CHILDREN))


def _text(rng: random.Random, hit_share: float) -> str:
    r = rng.random()
    if r < hit_share:
        return rng.choice(HITS)
    if r < hit_share + 0.035:  # a long, multi-line message
        lines = [_fill(rng.choice(NEWSLETTER), rng) for _ in range(rng.randint(3, 12))]
        return "\n".join(lines)
    if r < hit_share + 0.09:  # two sentences
        return _fill(rng.choice(TEXTS), rng) + " " + _fill(rng.choice(TEXTS), rng)
    return _fill(rng.choice(TEXTS), rng)


class _Writer:
    """Lines of one export in one layout, with header text cached per minute/second."""

    def __init__(self, platform: str, group: str | None) -> None:
        self.ios = platform == "ios"
        self.platform = platform
        self.group = group
        self.lines: list[str] = []
        self._last = (None, "")

    def head(self, ts: datetime) -> str:
        key = ts if self.ios else ts.replace(second=0)
        if self._last[0] != key:
            text = (ts.strftime("[%d/%m/%Y, %H:%M:%S] ") if self.ios
                    else ts.strftime("%d/%m/%Y, %H:%M - "))
            self._last = (key, text)
        return self._last[1]

    def message(self, ts: datetime, who: str, body: str) -> None:
        self.lines.append(f"{self.head(ts)}{who}: {body}")

    def system(self, ts: datetime, event: str) -> None:
        if self.ios:
            self.lines.append(f"{self.head(ts)}{self.group or STAFF}: \u200e{event}")
        else:
            self.lines.append(f"{self.head(ts)}{event}")


def _day_weights(days: list[datetime]) -> list[float]:
    out = []
    for d in days:
        w = 0.45 if d.weekday() >= 5 else 1.0
        if d.month == 8 or (d.month == 12 and d.day > 21) or (d.month == 4 and d.day < 14):
            w *= 0.3  # school holidays
        out.append(w)
    return out


def render_realistic(n_messages: int, platform: str = "android", seed: int = 1,
                     kind: str = "group", n_parents: int = 28) -> bytes:
    """A UTF-8 export of about `n_messages` messages (exactly that many header lines)."""
    if platform not in ("android", "ios") or kind not in ("group", "direct"):
        raise ValueError("platform is android/ios, kind is group/direct")
    rng = random.Random(f"{seed}-{platform}-{kind}-{n_messages}")
    group = kind == "group"
    parents = people(n_parents, rng) if group else [people(1, rng)[0]]
    senders = parents + [STAFF]
    weights = ([1 / (i + 1) ** 0.9 for i in range(len(parents))] + [0.4] if group
               else [1.0, 0.6])
    span = max(14, min(3 * 365, n_messages // (160 if group else 12)))
    start = datetime(2024, 9, 2)
    days = [start + timedelta(days=i) for i in range(span)]
    out = _Writer(platform, GROUP if group else None)
    enc = ("Messages and calls are end-to-end encrypted. No one outside of this chat, not even "
           "WhatsApp, can read or listen to them.")
    out.system(start - timedelta(hours=4), enc)  # the evening before the first day
    if group:
        out.system(start - timedelta(hours=4), f'{STAFF} created group "{GROUP}"')
    counts = [0] * span
    for i in rng.choices(range(span), weights=_day_weights(days), k=n_messages - len(out.lines)):
        counts[i] += 1
    for day, k in zip(days, counts, strict=True):
        _day(out, rng, day, k, senders, weights, group)
    return ("\n".join(out.lines) + "\n").encode("utf-8")


def _day(out: _Writer, rng: random.Random, day: datetime, k: int, senders: list[str],
         weights: list[float], group: bool) -> None:
    events: list[tuple[datetime, str, str | None]] = []  # (time, sender or "", body or event)
    while len(events) < k:
        burst = rng.random() < 0.08
        size = rng.randint(6, 18) if burst else 1 + int(rng.expovariate(1 / 7))
        size = min(size, k - len(events))
        hour = (rng.choices(range(24), weights=HOUR_WEIGHTS)[0] if not burst
                else rng.choice([20, 21, 21, 22, 22, 23]))
        t = day + timedelta(hours=hour, minutes=rng.randrange(60), seconds=rng.randrange(60))
        who = rng.choices(senders, weights=weights)[0]
        for _ in range(size):
            if not burst and rng.random() > 0.15:
                who = rng.choices(senders, weights=weights)[0]
            events.append((t, who, _body(rng, out.platform, burst, who, senders, group)))
            t += timedelta(seconds=rng.randint(10, 100) if burst
                           else int(rng.expovariate(1 / 150)) + 5)
    events.sort(key=lambda e: e[0])
    for t, who, body in events:
        if t.date() != day.date():
            t = day.replace(hour=23, minute=59, second=59)
        if body.startswith("\x00"):
            out.system(t, body[1:])
        else:
            out.message(t, who, body)


def _body(rng: random.Random, platform: str, burst: bool, who: str, senders: list[str],
          group: bool) -> str:
    r = rng.random()
    if group and r < 0.004:
        other = rng.choice(senders)
        event = rng.choice([f"{who} added {other}", f"{other} left", f"{who} removed {other}",
                            f"{other} joined using this group's invite link",
                            f'{who} changed the subject to "{GROUP}"',
                            f"{who} changed this group's icon"])
        return "\x00" + event
    if r < 0.07:
        return rng.choice(MEDIA[platform])
    if r < 0.08:
        return DELETED[platform]
    body = (_fill(rng.choice(RANT), rng) if burst and rng.random() < 0.5
            else _text(rng, 0.06 if burst else 0.008))
    if rng.random() < 0.015:
        body += EDITED[platform]
    return body


def describe() -> str:
    """One paragraph for the results file."""
    return ("Generated by `bench/realistic.py` (version " + str(VERSION) + "): a class group "
            "with 28 parents (accents, emoji, some saved only as 07700 900xxx numbers) and the "
            "class teacher, a few very active senders (Zipf weights), conversations in threads "
            "around drop-off, pick-up and the evening, bursts of 6-18 messages within minutes "
            "(8 % of threads, late evening), review words in ~0.8 % of texts (6 % inside "
            "bursts), 7 % media, 1 % deleted, 1.5 % edited, 0.4 % system events, 3.5 % long "
            "multi-line messages; weekends and holidays quieter; Android and iOS layouts; "
            "one-to-one chats with the teacher for the many-exports test.")

