"""The population of applications behind the sample: who gets which action, what they cite, when they issue.

Applications are drawn as actions are needed and live only while something still refers to them, so
memory stays flat over many weeks. Three things give the citation graph its structure:
* each art unit has a shared pool of prior art, so several applications cite the same documents;
* an application's own pre-grant publication (and, once granted, its patent) becomes citable by later
  applications of its art unit, and double patenting names sibling applications or their patents, so
  there are application -> application edges and non-trivial connected components;
* an application keeps its references from one action to the next (a final rejection repeats them).
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass, field
from datetime import date, timedelta

from oa_spark.synth import ids
from oa_spark.synth.ids import NplDoc, PatentDoc
from oa_spark.synth.vocab import (
    ART_UNITS,
    DOMAINS,
    EXAMINER_SURNAMES,
    GIVEN_NAMES,
    MONTHS,
    NPL_TITLE_WORDS,
    NPL_TOPICS,
    NPL_VENUES,
    SURNAMES,
    US_CLASSES,
    gerund,
)

Doc = PatentDoc | NplDoc

AIA_DATE = date(2013, 3, 16)
# First filing date of each series code (the code of an application filed on a day is the last one started).
SERIES_START: tuple[tuple[int, date], ...] = (
    (9, date(1998, 1, 1)),
    (10, date(2001, 12, 1)),
    (11, date(2004, 12, 1)),
    (12, date(2007, 12, 1)),
    (13, date(2011, 1, 1)),
    (14, date(2013, 12, 1)),
    (15, date(2015, 6, 1)),
    (16, date(2018, 1, 1)),
    (17, date(2019, 12, 1)),
    (18, date(2022, 1, 1)),
    (19, date(2024, 12, 1)),
)
DOMAIN_WEIGHTS = (("software", 0.4), ("electrical", 0.22), ("mechanical", 0.2), ("chemical", 0.18))
# Codes that may follow each code in one application's prosecution.
NEXT_CODES: dict[str, tuple[str, ...]] = {
    "CTRS": ("CTNF",),
    "CTNF": ("CTFR", "NOA", "CTEQ", "CTNF"),
    "CTFR": ("CTAV", "NOA", "CTNF"),
    "CTAV": ("CTNF", "NOA"),
    "CTEQ": ("NOA",),
}
# How often an action of a code goes to an application already in the sample (else a new one).
REUSE = {"CTNF": 0.35, "CTFR": 0.85, "NOA": 0.7, "CTAV": 0.9, "CTEQ": 0.6}
STATUS_AFTER = {"CTNF": 41, "CTFR": 61, "NOA": 93, "CTRS": 20, "CTEQ": 71, "CTAV": 80}
# A patent number near 2022-01-04 and the USPTO's issue rate, to date sample grants plausibly.
PATENT_ANCHOR = (date(2022, 1, 4), 11_214_000, 950)
DESIGN_ANCHOR = (date(2022, 1, 4), 939_000, 95)


@dataclass(frozen=True)
class Examiner:
    """A sample examiner and supervisor: the names and phone numbers a letter's signature block shows."""

    name: str
    employee: str
    phone: str
    supervisor: str
    supervisor_phone: str


@dataclass
class App:
    """One application: fixed bibliographic facts plus its prosecution so far."""

    number: str
    series: int
    domain: str
    art_unit: int
    examiner: Examiner
    filing: date
    effective: date
    title: str
    inventor: str
    claims: int
    entity: str
    customer: int
    confirmation: int
    us_class: tuple[str, str]
    reference: str
    publication: PatentDoc | None
    prior_art: list[Doc]
    history: list[str] = field(default_factory=list)
    stage: int = 0
    last_week: int = -100
    status: int = 30
    patent: PatentDoc | None = None
    grant_date: date | None = None

    @property
    def aia(self) -> bool:
        return self.effective >= AIA_DATE

    @property
    def design(self) -> bool:
        return self.domain == "design"

    def patent_on(self, day: date) -> PatentDoc | None:
        """The patent as the USPTO's snapshot on `day` shows it (None before it issues)."""
        if self.patent is not None and self.grant_date is not None and self.grant_date <= day:
            return self.patent
        return None


def series_of(filing: date) -> int:
    series = SERIES_START[0][0]
    for code, start in SERIES_START:
        if filing >= start:
            series = code
    return series


def patent_floor(day: date, design: bool = False) -> int:
    anchor, number, per_day = DESIGN_ANCHOR if design else PATENT_ANCHOR
    return max(1_000 if design else 5_000_000, number + (day - anchor).days * per_day)


class Universe:
    """Deterministic source of applications and citable documents for one sample."""

    def __init__(self, rng: random.Random, start: date) -> None:
        self.rng = rng
        self.start = start
        self.app_numbers: set[str] = set()
        self.doc_keys: set[str] = set()
        self.examiners: dict[int, list[Examiner]] = {}
        self.shared_art: dict[int, list[Doc]] = {}
        self.citable: dict[int, deque[PatentDoc]] = {}
        self.siblings: dict[int, deque[App]] = {}
        self.waiting: dict[str, deque[tuple[App, int]]] = {code: deque(maxlen=50_000) for code in REUSE}
        self.recent: deque[App] = deque(maxlen=5_000)
        self.next_patent = patent_floor(start)
        self.next_design = patent_floor(start, design=True)
        self.pub_serial: dict[int, int] = {}
        self.fresh_patent_ceiling = patent_floor(start) - 20_000

    # ------------------------------------------------------------ picking the application of an action

    def app_for(self, code: str, week_index: int, mail: date) -> App:
        """An application due for an action of `code` (one already in the sample if any), or a new one."""
        rng = self.rng
        if code in ("PETDEC", "PPH.DECISION"):
            if self.recent and rng.random() < 0.3:
                return self.recent[rng.randrange(len(self.recent))]
            return self.new_app(code, mail)
        queue = self.waiting.get(code)
        if queue is not None and rng.random() < REUSE.get(code, 0.0):
            while queue:
                app, stage = queue[0]
                if app.stage != stage:
                    queue.popleft()
                    continue
                if app.last_week > week_index - 3 or app.filing > mail:
                    break
                queue.popleft()
                return app
        return self.new_app(code, mail)

    def acted(self, app: App, code: str, week_index: int) -> None:
        """Record an action: the application moves on and becomes due for the codes that may follow."""
        if code not in STATUS_AFTER:
            return
        app.history.append(code)
        app.stage += 1
        app.last_week = week_index
        app.status = STATUS_AFTER[code]
        for nxt in NEXT_CODES.get(code, ()):
            self.waiting[nxt].append((app, app.stage))

    def grant(self, app: App, mail: date) -> date:
        """Allowance: the application will issue 8-16 weeks later with the next patent number."""
        rng = self.rng
        issue = mail + timedelta(days=rng.randrange(56, 113))
        issue += timedelta(days=(1 - issue.weekday()) % 7)  # patents issue on Tuesdays
        family = ids.US_DESIGN if app.design else ids.US_PATENT
        while True:
            if app.design:
                self.next_design = max(self.next_design, patent_floor(issue, True)) + rng.randrange(1, 40)
                number, kind = f"D{self.next_design}", "S"
            else:
                self.next_patent = max(self.next_patent, patent_floor(issue)) + rng.randrange(1, 400)
                number, kind = str(self.next_patent), "B2" if app.publication else "B1"
            if f"US-{number}" not in self.doc_keys:
                break
        app.patent = PatentDoc(family, "US", number, kind, app.inventor, rng.random() < 0.6)
        self.doc_keys.add(app.patent.key)
        app.grant_date = issue
        return issue

    def issued(self, app: App) -> None:
        """The patent is out: later applications of the art unit may cite it."""
        if app.patent is not None:
            self.citable_of(app.art_unit).append(app.patent)
            app.status = 150

    # ------------------------------------------------------------ new applications

    def new_app(self, code: str, mail: date) -> App:
        rng = self.rng
        design = rng.random() < 0.07
        domain = "design" if design else _weighted(rng, DOMAIN_WEIGHTS)
        if not design and rng.random() < 0.025:  # old series 09-11, half of them 09
            filing = date(1998, 1, 5) + timedelta(days=rng.randrange(0, 1400 if rng.random() < 0.5 else 3600))
        else:
            lag = int(rng.lognormvariate(6.7 if not design else 6.1, 0.45))
            filing = mail - timedelta(days=max(90, lag))
        filing = max(filing, date(1998, 1, 5))
        series = 29 if design else series_of(filing)
        number = self.app_number(series)
        effective = filing - timedelta(days=rng.randrange(0, 365)) if rng.random() < 0.3 else filing
        if not design and effective >= AIA_DATE and rng.random() < 0.08:
            # a continuation whose claims keep a pre-AIA parent's date: examined under pre-AIA law
            effective = date(2005, 1, 3) + timedelta(days=rng.randrange(0, 2990))
        art_unit = rng.choice(ART_UNITS[domain])
        inventor = rng.choice(SURNAMES)
        app = App(
            number=number,
            series=series,
            domain=domain,
            art_unit=art_unit,
            examiner=self.examiner(art_unit),
            filing=filing,
            effective=effective,
            title=self.title(domain),
            inventor=inventor,
            claims=1 if design else _claims_total(rng),
            entity=rng.choice(("UNDISCOUNTED", "UNDISCOUNTED", "SMALL", "MICRO")),
            customer=rng.randrange(20_000, 180_000),
            confirmation=rng.randrange(1_000, 10_000),
            us_class=rng.choice(US_CLASSES[domain]),
            reference=f"{rng.choice(('P', 'ABC-', 'US', 'DOCKET-'))}{rng.randrange(100, 99_999)}",
            publication=self.publication(filing, mail, inventor, design),
            prior_art=[],
        )
        app.prior_art = self.pick_art(app, rng.choice((2, 2, 3, 3, 3, 4, 4, 5, 6)), first_npl=True)
        app.history.extend(_history_before(code, rng))
        app.status = STATUS_AFTER.get(app.history[-1], 30) if app.history else 30
        self.siblings_of(art_unit).append(app)
        self.recent.append(app)
        if app.publication is not None:
            self.citable_of(art_unit).append(app.publication)
        return app

    def app_number(self, series: int) -> str:
        while True:
            number = f"{series:02d}{self.rng.randrange(0, 1_000_000):06d}"
            if number not in self.app_numbers:
                self.app_numbers.add(number)
                return number

    def publication(self, filing: date, mail: date, inventor: str, design: bool) -> PatentDoc | None:
        """The application's own pre-grant publication, 18 months after filing (designs are not published)."""
        published = filing + timedelta(days=548)
        if design or published > mail or self.rng.random() < 0.07:
            return None
        year = published.year
        serial = self.pub_serial.get(year, 400_000 + self.rng.randrange(0, 50_000)) + self.rng.randrange(
            1, 30
        )
        self.pub_serial[year] = serial
        doc = ids.us_publication(self.rng, inventor, year, serial)
        self.doc_keys.add(doc.key)
        return doc

    def examiner(self, art_unit: int) -> Examiner:
        rng = self.rng
        if art_unit not in self.examiners:
            spe = f"{rng.choice(GIVEN_NAMES).upper()} {rng.choice(EXAMINER_SURNAMES)}"
            spe_phone = f"(571) 272-{rng.randrange(1000, 9999)}"
            self.examiners[art_unit] = [
                Examiner(
                    name=f"{rng.choice(GIVEN_NAMES).upper()} {rng.choice('ABCDEFGHJKLMNPRSTW')} "
                    f"{rng.choice(EXAMINER_SURNAMES)}",
                    employee=str(rng.randrange(60_000, 99_999)),
                    phone=f"({'571'}){rng.randrange(270, 273)}-{rng.randrange(1000, 9999)}",
                    supervisor=spe,
                    supervisor_phone=spe_phone,
                )
                for _ in range(4)
            ]
        return rng.choice(self.examiners[art_unit])

    def title(self, domain: str) -> str:
        rng = self.rng
        if domain == "design":
            return rng.choice(
                ("Bottle", "Chair", "Lamp", "Watch band", "Earphone", "Vehicle wheel", "Speaker")
            )
        words = DOMAINS[domain]
        noun = rng.choice(words["nouns"])
        return f"{rng.choice(('System and method for', 'Apparatus for', 'Methods of', 'Device for'))} " + (
            f"{gerund(rng.choice(words['verbs']))} a {rng.choice(words['adjectives'])} {noun}"
        )

    # ------------------------------------------------------------ cited documents

    def citable_of(self, art_unit: int) -> deque[PatentDoc]:
        return self.citable.setdefault(art_unit, deque(maxlen=60))

    def siblings_of(self, art_unit: int) -> deque[App]:
        return self.siblings.setdefault(art_unit, deque(maxlen=60))

    def shared(self, art_unit: int, domain: str) -> list[Doc]:
        """The art unit's pool of commonly cited prior art (made on first use)."""
        if art_unit not in self.shared_art:
            self.shared_art[art_unit] = [self.fresh(domain) for _ in range(40)]
        return self.shared_art[art_unit]

    def fresh(self, domain: str, name: str | None = None) -> PatentDoc:
        """A new prior-art document in a shape family typical of the domain."""
        rng = self.rng
        name = name or rng.choice(SURNAMES)
        while True:
            r = rng.random()
            if domain == "design":
                doc = (
                    ids.us_design(rng, name)
                    if r < 0.7
                    else ids.us_patent(rng, name, 4_000_000, self.fresh_patent_ceiling)
                )
                if r >= 0.9:
                    doc = ids.foreign(rng, name)
            elif r < 0.45:
                doc = ids.us_patent(rng, name, 4_000_000, self.fresh_patent_ceiling)
            elif r < 0.8:
                doc = ids.us_publication(rng, name, rng.randrange(2001, max(2002, self.start.year - 1)))
            elif r < 0.95:
                doc = ids.foreign(rng, name)
            elif r < 0.97:
                doc = ids.us_reissue(rng, name)
            elif r < 0.985:
                doc = ids.us_plant(rng, name)
            else:
                doc = ids.us_design(rng, name)
            if doc.key not in self.doc_keys:
                self.doc_keys.add(doc.key)
                return doc

    def npl(self, name: str) -> NplDoc:
        rng = self.rng
        title = f"{rng.choice(NPL_TITLE_WORDS)} {rng.choice(NPL_TOPICS)}"
        venue, year = rng.choice(NPL_VENUES), rng.randrange(1995, 2021)
        first = rng.randrange(10, 800)
        last = first + rng.randrange(5, 40)
        month = rng.choice(MONTHS)
        if rng.random() < 0.3:
            citation = f"(Chapter {rng.randrange(2, 60)} - “{title}”, pages {first}-{last}, {month} {year})"
        else:
            citation = f"(“{title}”, {venue}, vol. {rng.randrange(1, 90)}, pp. {first}-{last}, {year})"
        listing = (
            f"{name}, {rng.choice(GIVEN_NAMES)[0]}. et al., “{title},” {venue}, vol. {rng.randrange(1, 90)}, "
            f"no. {rng.randrange(1, 12)}, pp. {first}-{last} ({year})."
        )
        return NplDoc(name, citation, listing)

    def pick_art(
        self, app: App, count: int, first_npl: bool = False, avoid: set[str] | None = None
    ) -> list[Doc]:
        """`count` distinct documents with distinct names: shared pool, sample applications, fresh ones."""
        rng = self.rng
        names = set(avoid or ()) | {app.inventor}
        own = {d.key for d in (app.publication, app.patent) if d is not None}
        out: list[Doc] = []
        keys: set[str] = set()
        npl_rate = 0.25 if app.domain == "chemical" else 0.1
        if first_npl and count >= 2 and not app.design and rng.random() < npl_rate:
            name = _free_name(rng, names)
            out.append(self.npl(name))
            names.add(name)
        tries = 0
        while len(out) < count and tries < 50:
            tries += 1
            r = rng.random()
            citable = self.citable_of(app.art_unit)
            if r < 0.5:
                doc: Doc = rng.choice(self.shared(app.art_unit, app.domain))
            elif r < 0.72 and citable:
                doc = citable[rng.randrange(len(citable))]
            else:
                doc = self.fresh(app.domain, _free_name(rng, names))
            key = doc.key if isinstance(doc, PatentDoc) else doc.name
            if doc.name in names or key in keys or key in own:
                continue
            out.append(doc)
            names.add(doc.name)
            keys.add(key)
        return out

    def other_art(self, app: App, prior: list[Doc]) -> list[Doc]:
        """Art made of record but not relied upon in one letter (names distinct from the relied-upon art)."""
        rng = self.rng
        count = rng.choice((0, 1, 2, 2, 3, 3, 4, 5))
        names = {d.name for d in prior}
        docs = self.pick_art(app, count, avoid=names)
        if rng.random() < 0.1:
            name = _free_name(rng, names | {d.name for d in docs} | {app.inventor})
            docs.append(self.npl(name))
        return docs

    def dp_targets(self, app: App, mail: date) -> list[PatentDoc]:
        """What double patenting can be over: a sibling's patent, a co-pending sibling, a parent patent."""
        rng = self.rng
        siblings = [a for a in self.siblings_of(app.art_unit) if a is not app and a.filing <= mail]
        targets: list[PatentDoc] = []
        if siblings:
            sib = siblings[rng.randrange(len(siblings))]
            patent = sib.patent_on(mail)
            targets.append(patent if patent is not None else ids.application(sib.number, sib.inventor))
        if not targets or rng.random() < 0.3:
            targets.append(self.parent_patent(app))
        return targets

    def parent_patent(self, app: App) -> PatentDoc:
        """A patent of the same family issued before the sample (the usual double patenting reference)."""
        rng = self.rng
        while True:
            if app.design:
                doc = ids.us_design(rng, app.inventor)
            else:
                low = max(4_000_000, self.fresh_patent_ceiling - 3_000_000)
                doc = ids.us_patent(rng, app.inventor, low, self.fresh_patent_ceiling)
            if doc.key not in self.doc_keys:
                self.doc_keys.add(doc.key)
                return doc


def _weighted(rng: random.Random, pairs: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([p[0] for p in pairs], [p[1] for p in pairs])[0]


def _free_name(rng: random.Random, taken: set[str]) -> str:
    while True:
        name = rng.choice(SURNAMES)
        if name not in taken:
            return name


def _claims_total(rng: random.Random) -> int:
    r = rng.random()
    if r < 0.45:
        return 20
    if r < 0.95:
        return rng.randrange(3, 31)
    return rng.randrange(31, 46)


def _history_before(code: str, rng: random.Random) -> list[str]:
    """What a new application must have had before an action of `code` (its earlier life is off-sample)."""
    if code == "CTFR":
        return ["CTNF"]
    if code == "CTAV":
        return ["CTNF", "CTFR"]
    if code == "NOA":
        return rng.choice(([], ["CTNF"], ["CTNF", "CTFR"]))
    if code == "CTEQ":
        return ["CTNF"]
    if code == "CTNF":
        return rng.choice(([], [], [], ["CTRS"], ["CTNF", "CTFR"]))
    return []
