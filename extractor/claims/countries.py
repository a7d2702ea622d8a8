"""Countries in a sentence and the part each plays in a flow of goods.

Roles come from the words around a mention: "to Japan" and "Japan's imports" name the
importer; "from China", "China's exports", "Chinese exports" and "imports of Chinese rare
earths" the exporter. "US shipments" is the counterpart of the article's exporter. Mentions in
"US-China talks", "followed by the US" or "Japanese Prime Minister" play no part.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

TO_BEFORE = re.compile(r"(?i:(?<!compared )\b(?:to|into|bound for|destined for|headed for|headed to|"
                       r"heading to|delivered to|for delivery to|arriving in)\s+(?:the\s+)?)$")
FROM_BEFORE = re.compile(r"(?i:\b(?:from|out of|originating in|originating from|sourced from|of origin)\s+(?:the\s+)?)$")
BY_BEFORE = re.compile(r"(?i:\b(?:imports|purchases|buying|intake|imported|purchased|bought)\s+(?:\w+\s+){0,2}?by\s+(?:the\s+)?)$")
# "mostly from Argentina and Brazil", "most of it bound for China": the origins or destinations
# making up a total, not the one party of the figure.
PART_OF_TOTAL = re.compile(r"(?i:\b(?:mostly|mainly|largely|chiefly|primarily|predominantly|principally|most of it|"
                           r"much of it|the bulk of it|almost all of it)\s+(?:from|to|bound for|destined for|"
                           r"headed for|going to|coming from|sourced from|shipped to|sent to|out of)\s+(?:the\s+)?)$")
# "Indian mills exported": an agent noun followed by a flow verb takes the verb's direction.
EXPORT_VERB = re.compile(r"(?i:(?:re-?)?exported|shipped|sold|supplied|delivered|sent|exports|ships|sells|supplies)")
IMPORT_VERB = re.compile(r"(?i:imported|bought|purchased|received|took|imports|buys|purchases|receives|takes)")
COMPOUND_BEFORE = re.compile(r"(?:Sino|Euro|Indo|Afro)\s*[-–]\s*$")
# Words after a country, up to the flow word it governs: "China's total rare earth magnet
# exports", "China's November 2025 rare-earth magnet export numbers".
WORD = re.compile(r"[A-Za-z][\w’'-]*|(?:19|20)\d{2}|[^\w\s]")
EXPORT_AFTER = re.compile(r"(?i:(?:re-?)?exports?|(?:re-?)?exported|(?:re-?)?exporting|shipments?|shipped|ships|sales|sold|supplied|supplies|"
                          r"deliveries|delivered|outbound|sent|sends|producers?|miners?|exporters?|suppliers?|sellers?|sources?)(?![\w])")
IMPORT_AFTER = re.compile(r"(?i:imports?|imported|importing|purchases|purchased|bought|buys?|buying|intake|arrivals|"
                          r"buyers?|importers?|customers|mills|refiners|consumers|users|took|takes|taking|received|"
                          r"receives|receiving|destination)(?![\w])")
# "Mexico, the top buyer, took ...": an appositive between commas is skipped.
APPOSITIVE = re.compile(r",[^,\d;()]{1,80},")
# "... and India 9.8 million tonnes", "followed by China with 1.1 million tonnes": a country
# just before a figure shares the role of the country named before it.
GAPPED = re.compile(r"\s*(?:,\s*)?(?i:with|at|on|took|taking|had|:)?\s*(?i:about|around|nearly|some|roughly|over|under|almost)?\s*"
                    r"(?:\(\s*[+\-\u2212]?)?$")  # "... and Mexico (+3.1%)"
COUNTERPART_NOUNS = {"shipments", "shipment", "deliveries", "supplies", "sales", "outbound"}
# "India's top supplier" names India as the buyer; "Australia's largest customer" Australia as
# the seller: after a possessive, a noun for the other party turns the role round.
AGENT_NOUN = re.compile(r"(?i:producers?|miners?|exporters?|suppliers?|sellers?|sources?|buyers?|importers?|"
                        r"customers?|destination|markets?)")


@dataclass
class CountryMention:
    start: int
    end: int
    code: Optional[str]  # None until a description is resolved
    role: str  # exporter | importer | counterpart | total | bare | none
    form: str = "name"  # name | demonym | metonym | description | total
    description: Optional[dict] = None


def _possessive_end(sentence: str, end: int) -> int:
    if sentence.startswith(("'s", "’s"), end):
        return end + 2
    if sentence.startswith(("'", "’"), end) and sentence[end - 1:end] == "s":
        return end + 1
    return end


def _role_after(sentence: str, end: int, form: str, possessive: bool, lex) -> Optional[str]:
    """The role a flow word after the mention gives it, within a few words of one noun phrase."""
    appositive = APPOSITIVE.match(sentence, end)
    if appositive:
        end = appositive.end()
    words = list(WORD.finditer(sentence, end, end + 70))
    for count, word in enumerate(words):
        token = word.group()
        if count > 6 or (not token[0].isalnum() and token != "-"):
            return None  # punctuation or distance ends the noun phrase
        if lex.country_re.fullmatch(token):
            if lex.country_forms[token][1] == "demonym":
                continue  # "India's Russian oil imports": the demonym qualifies the goods
            return None
        low = token.lower()
        if possessive and AGENT_NOUN.fullmatch(token):
            return "importer" if EXPORT_AFTER.fullmatch(token) else "exporter"
        if EXPORT_AFTER.fullmatch(token):
            if form == "name" and not possessive and low in COUNTERPART_NOUNS:
                return "counterpart"
            return "exporter"
        if IMPORT_AFTER.fullmatch(token):
            verb = words[count + 1].group() if count + 1 < len(words) else ""
            if not possessive and EXPORT_VERB.fullmatch(verb):
                return "exporter"  # "Indian mills exported ...", "Chinese buyers sold ..."
            return "importer"
    return None


def _role(sentence: str, start: int, end: int, form: str, lex) -> str:
    before = sentence[max(0, start - 40):start]
    if lex.cue_res["nonrole_tail"].search(before):
        return "none"
    if COMPOUND_BEFORE.search(before) or PART_OF_TOTAL.search(before):
        return "none"
    if FROM_BEFORE.search(before):
        return "exporter"
    if TO_BEFORE.search(before):
        return "importer"
    if BY_BEFORE.search(before):
        return "importer"
    possessive_end = _possessive_end(sentence, end)
    role = _role_after(sentence, possessive_end, form, possessive_end > end, lex)
    origin = form in ("demonym", "name") and possessive_end == end and _origin_before_commodity(sentence, end, lex)
    if role == "importer" and origin:
        # "Russian crude arrivals" (India's imports) or "Japanese LNG imports" (Japan's):
        # decided against the article's main importer.
        return "origin_or_importer"
    if role:
        return role
    if origin:
        return "exporter"  # "imports of Chinese rare earths", "U.S. soybeans"
    return "bare"


def _origin_before_commodity(sentence: str, end: int, lex) -> bool:
    match = lex.commodity_re.match(sentence, end + 1) if sentence[end:end + 1] == " " else None
    return match is not None


def _mark_compounds(sentence: str, mentions: list[CountryMention]) -> None:
    """'US-China agreement', 'U.S.–China understanding': neither country is a party to a figure."""
    for left, right in zip(mentions, mentions[1:]):
        if re.fullmatch(r"\s*[-–/]\s*", sentence[left.end:right.start]):
            left.role = right.role = "none"


def share_gapped_roles(sentence: str, mentions: list[CountryMention], figure_starts: list[int]) -> None:
    """Give a role-less country standing right before a figure the role of the one before it."""
    for start in figure_starts:
        before = [m for m in mentions if m.end <= start and m.form != "total"]
        if not before or before[-1].role not in ("bare", "none"):
            continue
        if not GAPPED.fullmatch(sentence, before[-1].end, start):
            continue
        leader = next((m for m in reversed(before[:-1]) if m.role in ("importer", "exporter", "counterpart")), None)
        if leader is not None:
            before[-1].role = leader.role


def find_countries(sentence: str, lex, found: dict | None = None) -> list[CountryMention]:
    """Country, description and total mentions with their roles (`found`: the matches of a
    sentence-wide scan; otherwise the sentence is scanned here)."""
    if found is None:
        found = {kind: list(lex.scan[kind].finditer(sentence)) for kind in ("description", "country", "total")}
    mentions = []
    for match in found["description"]:
        rec = lex.descriptions[int(match.lastgroup[1:])]
        mentions.append(CountryMention(match.start(), match.end(), None, "", "description", rec))
    for match in found["country"]:
        if any(m.start <= match.start() < m.end for m in mentions):
            continue  # "Asian" inside "its Asian neighbour"
        code, form = lex.country_forms[match.group()]
        mentions.append(CountryMention(match.start(), match.end(), code, "", form))
    mentions.sort(key=lambda m: m.start)
    for mention in mentions:
        mention.role = _role(sentence, mention.start, mention.end, mention.form, lex)
    _mark_compounds(sentence, mentions)
    for match in found["total"]:
        mentions.append(CountryMention(match.start(), match.end(), "WLD", "total", "total"))
    mentions.sort(key=lambda m: m.start)
    return mentions
