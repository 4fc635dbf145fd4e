"""Word lists for the generated letters.

Chosen so that nothing here can be read as a document number, a statute or a claim list: numbers never
appear, and the words that the truth flags depend on (objected, allowable, allowed, final) are absent.
"""

from __future__ import annotations

# Short names of cited documents (first-named inventors). Not English words, so a name is never a verb.
# fmt: off
SURNAMES: tuple[str, ...] = (
    "Beall", "Laderach", "Linton", "Eldering", "Luvalle", "Giunta", "Leblanc", "Crawford", "Merkel",
    "Abernathy", "Achterberg", "Adebayo", "Agrawal", "Ahlstrom", "Alvarado", "Amundsen", "Andreescu",
    "Arakawa", "Ashworth", "Bachmann", "Balakrishnan", "Barrientos", "Bergstrom", "Bhattacharya", "Blomqvist",
    "Bonaventura", "Brandvold", "Brzezinski", "Castellanos", "Chakraborty", "Chernov", "Cifuentes",
    "Dabrowski", "Dasgupta", "Delacroix", "Dimitrov", "Dunleavy", "Eckhardt", "Ellsworth", "Engström",
    "Esposito", "Fairbanks", "Fajardo", "Fenwick", "Fitzgerald", "Fukuda", "Gallagher", "Gangopadhyay",
    "Gauthier", "Giordano", "Grabowski", "Gunawardena", "Hakimi", "Halvorsen", "Hashimoto", "Hendricks",
    "Hoffmeister", "Ichikawa", "Ionescu", "Iyengar", "Jablonski", "Jankowski", "Jaramillo", "Kaczmarek",
    "Kamikawa", "Karlsson", "Kasprzak", "Kawaguchi", "Kowalczyk", "Krishnamurthy", "Kuroda", "Lachance",
    "Lindqvist", "Lombardi", "Lundgren", "Mahalingam", "Maldonado", "Marchetti", "Matsumoto", "Mazur",
    "McAllister", "Mehrotra", "Müller", "Nakagawa", "Narayanan", "Nieminen", "Nuñez", "Obermeyer", "Okonkwo",
    "Olszewski", "Ostrowski", "Padmanabhan", "Pellegrini", "Petrovic", "Quintero", "Radcliffe", "Ramaswamy",
    "Rasmussen", "Reinholt", "Rodrigues", "Rosenthal", "Sakamoto", "Santangelo", "Schroeder", "Sebastiani",
    "Shimizu", "Sokolov", "Srinivasan", "Stavropoulos", "Sundqvist", "Szymanski", "Takahashi", "Tanabe",
    "Tavernier", "Thorvaldsen", "Trujillo", "Uchida", "Valderrama", "Vasquez", "Venkataraman", "Villanueva",
    "Wachowski", "Watanabe", "Wegener", "Wojcik", "Yamaguchi", "Yoshida", "Zabrocki", "Zamora", "Zielinski",
    "Zimmermann", "Abramowitz", "Baptiste", "Cardenas", "Dorsey", "Falkner", "Gonçalves", "Haugen",
    "Ishikawa", "Jovanovic", "Kessler", "Lindahl", "Moriarty", "Nakamura", "Oyelaran", "Pacheco", "Quiroga",
    "Rautenberg", "Steinhauer", "Toivonen", "Umeda", "Vanderbilt", "Wendling", "Xiong", "Yanagisawa", "Zhou",
    "Bianchi", "Costanza", "Drummond", "Etcheverry", "Forsberg", "Grünewald", "Hatfield", "Igarashi",
    "Jenkinson", "Kobayashi", "Lafleur", "Mancini", "Nordström", "Oliveira", "Prasad", "Rinaldi", "Sorensen",
    "Tsukamoto", "Urbanski", "Vogelsang", "Whitfield", "Yokoyama", "Ziegler", "Aldridge", "Bertolini",
    "Chaudhary", "Dunbar", "Ferreira", "Gustafsson", "Hirata", "Kerrigan", "Lozano", "Moreau", "Nishimura",
    "Ortega", "Pietrzak",
)

GIVEN_NAMES: tuple[str, ...] = (
    "James", "Maria", "Wei", "Priya", "John", "Elena", "Hiroshi", "Anna", "David", "Fatima", "Michael",
    "Sofia", "Robert", "Yuki", "Thomas", "Olga", "Daniel", "Amara", "Kevin", "Ingrid", "Carlos", "Mei",
    "Andrew", "Leila", "Steven", "Hannah", "Rajesh", "Claire", "Brian", "Nadia", "Gregory", "Akiko",
)

EXAMINER_SURNAMES: tuple[str, ...] = (
    "WASHINGTON", "PATEL", "NGUYEN", "OKAFOR", "BRENNAN", "DESAI", "FLORES", "HOLLOWAY", "IBARRA", "JOHANSEN",
    "KAPOOR", "LARSEN", "MCCARTHY", "NAKASHIMA", "OBRIEN", "PRZYBYLSKI", "RAMIREZ", "SHAPIRO", "TRAN",
    "UNDERWOOD", "VALENTINE", "WHITAKER", "YOUNGBLOOD", "ZHANG", "ABDULLAH", "BOYKIN", "CHOWDHURY",
)

MONTHS: tuple[str, ...] = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)
# fmt: on

# A technology domain: claim-limitation parts, and where in the USPTO its art units live.
# fmt: off
DOMAINS: dict[str, dict[str, tuple[str, ...]]] = {
    "software": {
        "nouns": (
            "processor", "memory device", "neural network", "data packet", "user interface", "database",
            "access request", "authentication token", "cache entry", "server", "client device",
            "machine learning model", "feature vector", "search query", "user session", "message queue",
            "virtual machine", "container image", "event log", "recommendation list", "transaction record",
            "graphical element", "content item", "encryption key", "routing table", "sensor stream",
        ),
        "verbs": (
            "receive", "transmit", "determine", "generate", "store", "compare", "classify", "encrypt",
            "render", "update", "identify", "aggregate", "rank", "schedule", "validate", "partition",
            "retrieve", "annotate", "filter", "predict",
        ),
        "adjectives": (
            "first", "second", "remote", "local", "encrypted", "predicted", "weighted", "candidate",
            "historical", "real-time", "distributed", "selected", "default", "trained", "cached",
        ),
        "benefits": (
            "reduce the latency of responding to a request", "improve the accuracy of the classification",
            "reduce network traffic between the devices", "improve the security of stored data",
            "allocate computing resources more efficiently", "simplify the presentation of results to a user",
        ),
    },
    "electrical": {
        "nouns": (
            "transistor", "capacitor", "antenna element", "reference signal", "control circuit",
            "voltage regulator", "battery cell", "image sensor", "semiconductor substrate", "gate electrode",
            "conductive trace", "power converter", "phase-locked loop", "light emitting diode", "inductor",
            "dielectric layer", "bias current", "switching element", "driver stage", "output terminal",
        ),
        "verbs": (
            "amplify", "convert", "detect", "modulate", "charge", "switch", "measure", "filter", "couple",
            "isolate", "sample", "regulate", "calibrate", "deposit", "etch",
        ),
        "adjectives": (
            "first", "second", "conductive", "insulating", "differential", "high-frequency", "low-noise",
            "adjacent", "peripheral", "stacked", "flexible", "thin-film", "reference",
        ),
        "benefits": (
            "reduce power consumption of the device", "improve the signal-to-noise ratio",
            "reduce the footprint of the package", "improve heat dissipation from the substrate",
            "stabilize the output voltage under load",
        ),
    },
    "mechanical": {
        "nouns": (
            "housing", "drive shaft", "mounting bracket", "coil spring", "check valve", "piston",
            "gear assembly", "fastener", "annular flange", "rotor blade", "sealing member", "hinge pin",
            "support frame", "locking tab", "guide rail", "bearing sleeve", "nozzle", "handle portion",
            "latch mechanism", "base plate",
        ),
        "verbs": (
            "engage", "rotate", "couple", "secure", "slide", "bias", "align", "support", "translate",
            "retain", "compress", "release", "pivot", "extend",
        ),
        "adjectives": (
            "first", "second", "upper", "lower", "proximal", "distal", "outer", "inner", "resilient",
            "tapered", "threaded", "elongated", "removable", "cylindrical",
        ),
        "benefits": (
            "reduce wear on the moving parts", "simplify assembly of the device",
            "prevent leakage of the fluid", "improve the stability of the frame",
            "reduce the weight of the assembly",
        ),
    },
    "chemical": {
        "nouns": (
            "composition", "polypeptide", "antibody", "nucleic acid", "buffer solution", "excipient",
            "host cell", "polymer matrix", "catalyst", "organic solvent", "active agent", "surfactant",
            "coating layer", "emulsion", "crystalline form", "binding domain", "formulation",
            "reaction mixture",
        ),
        "verbs": (
            "bind", "inhibit", "express", "dissolve", "purify", "react", "administer", "stabilize", "coat",
            "mix", "heat", "precipitate", "extract", "crosslink",
        ),
        "adjectives": (
            "aqueous", "purified", "recombinant", "lyophilized", "pharmaceutically acceptable", "porous",
            "substantially pure", "hydrophobic", "biodegradable", "thermally stable", "isolated",
        ),
        "benefits": (
            "improve the shelf life of the composition", "increase the yield of the reaction",
            "improve the solubility of the active agent", "reduce side effects in a subject",
            "improve adhesion of the coating",
        ),
    },
}
# fmt: on

# Art units by domain (designs are a domain of their own: series 29 applications live in TC 2900).
ART_UNITS: dict[str, tuple[int, ...]] = {
    "software": (2121, 2128, 2141, 2152, 2163, 2176, 2192, 2431, 2445, 2457, 2482, 3622, 3689, 3694),
    "electrical": (2812, 2818, 2836, 2842, 2857, 2896, 2621, 2633, 2648, 2685),
    "mechanical": (3616, 3641, 3653, 3676, 3723, 3731, 3746, 3753, 3781, 3799),
    "chemical": (1611, 1618, 1629, 1644, 1653, 1672, 1715, 1732, 1762, 1786),
    "design": (2911, 2913, 2916, 2922, 2927),
}

# US classification pairs used for nationalClass / nationalSubclass, by domain.
US_CLASSES: dict[str, tuple[tuple[str, str], ...]] = {
    "software": (
        ("706", "012000"),
        ("707", "769000"),
        ("709", "224000"),
        ("705", "007420"),
        ("715", "765000"),
    ),
    "electrical": (("257", "E21170"), ("438", "151000"), ("363", "021020"), ("343", "700000")),
    "mechanical": (("403", "374100"), ("251", "129150"), ("16", "254000"), ("74", "424800")),
    "chemical": (("424", "094100"), ("530", "387100"), ("514", "001000"), ("428", "411100")),
    "design": (("D14", "341000"), ("D12", "110000"), ("D6", "380000")),
}

# fmt: off
NPL_VENUES: tuple[str, ...] = (
    "IEEE Transactions on Pattern Analysis and Machine Intelligence", "Journal of Applied Physics",
    "Nature Biotechnology", "Proceedings of the ACM Conference on Computer and Communications Security",
    "Journal of Mechanical Design", "Analytical Chemistry", "IEEE Journal of Solid-State Circuits",
    "Journal of Controlled Release", "Computer Networks", "Wear", "Journal of Power Sources",
)

NPL_TOPICS: tuple[str, ...] = (
    "Sensor Fusion", "Coffee Supply Chains", "Thin Films", "Protein Binding", "Edge Caching", "Gear Wear",
    "Battery Aging",
)

NPL_TITLE_WORDS: tuple[str, ...] = (
    "Adaptive", "Scalable", "Robust", "Efficient", "Distributed", "Predicted Impact of", "Analysis of",
    "Characterization of", "Design of", "A Survey of", "Toward", "Learning", "Thermal Behavior of",
    "Low-Power", "Selective", "Modeling", "Kinetics of", "Stability of",
)

DESIGN_ARTICLES: tuple[str, ...] = (
    "bottle", "chair", "lamp", "watch band", "earphone", "handle",
    "display screen with graphical user interface", "vehicle wheel", "shoe sole", "speaker", "container lid",
    "toothbrush head",
)

CPC_GROUPS: tuple[str, ...] = (
    "G06F 16/245", "G06N 3/08", "H04L 67/10", "H01L 29/786", "A61K 39/395", "B65D 47/08", "F16K 15/02",
    "C07K 16/28", "H02M 3/158", "G06Q 30/0631", "A61B 5/00", "F16B 2/20",
)
# fmt: on


_DOUBLED = {"transmit": "transmitt"}
_IRREGULAR_PAST = {"bind": "bound", "slide": "slid"}


def gerund(verb: str) -> str:
    """`transmit` -> `transmitting`, `store` -> `storing`, `rank` -> `ranking`."""
    stem = _DOUBLED.get(verb, verb[:-1] if verb.endswith("e") and not verb.endswith("ee") else verb)
    return stem + "ing"


def past(verb: str) -> str:
    """`transmit` -> `transmitted`, `store` -> `stored`, `classify` -> `classified`, `bind` -> `bound`."""
    if verb in _IRREGULAR_PAST:
        return _IRREGULAR_PAST[verb]
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and verb[-2] not in "aeiou":
        return verb[:-1] + "ied"
    return _DOUBLED.get(verb, verb) + "ed"
