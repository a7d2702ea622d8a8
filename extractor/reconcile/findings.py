"""Findings: one per wrong figure, from the conflicting checks.

Every conflicting check rests on readings grouped into sides (context.py): it goes away when
every reading of one side is taken out. An *atom* is one source group's statement of one
reading (copies of a wire report count once); atoms stated by the same claims (a value and its
change) form a *cluster* and count as one error. Truth discovery over the rounding intervals,
per connected set of conflicting checks (so it runs per series and its neighbours):
1. the smallest number of clusters whose removal resolves every check;
2. then the least independent support removed (the consistent checks an atom takes part in
   with other sources);
3. then the strongest named cause (causes.py: a figure that is another period's, a thousand
   times the others, ... is likelier the wrong one);
4. still tied within one article, the restatement with fewer figures (a headline, an anaphor)
   is held wrong; still tied across sources, the finding names every candidate and says so.
A figure repeated by independent sources counts once per source. Claims a person confirmed
are never held wrong; rejected ones are not reconciled at all (reviews.py).

Triage: a finding is `check_reading` when it rests on a reading with inferred fields that can
explain it (the suspect's, or those of all the evidence against it: a period carried from
context for a figure in the wrong period, a commodity for a wrong label, any placing field for
a different figure; never for a slip in the number itself), or with an exporter or importer
that could not be read, or when the disagreeing figures come from one sentence; otherwise
`conflict` (each reading stated in its own sentence).
"""
from __future__ import annotations

from collections import defaultdict
from typing import Optional

from extractor.reconcile.carried import Carried
from extractor.reconcile.causes import FIGURE, Cause, cause_of, round_figure as _round, widened as _widened
from extractor.reconcile.context import Context, iv, pct, reading_json
from extractor.reconcile.intervals import INF, Interval, change_between, fmt_num, growth_factor, implied_previous
from extractor.reconcile.part_periods import part_of
from extractor.reconcile.periods import basis_label
from extractor.reconcile.series import Reading, consensus_of
from extractor.types import Check, Finding

# Corroboration across periods; agreement within a cell is left to the count of sources, so
# a reading the consensus happened to pick gains nothing over one that fits it equally well.
SUPPORT_KINDS = {"implied_value", "stated_change"}
NODE_LIMIT = 4000  # branch-and-bound steps per set of conflicts before a greedy answer
SMALL_SIDE = 16  # sides of more atoms (a large consensus) are never weighed by support
SUPPORT_CAP = 64  # groups counted as an atom's support at most


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict = {}

    def find(self, x):
        parent = self.parent
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


class _TooBig(Exception):
    pass


def find_findings(ctx: Context, confirmed: frozenset = frozenset()) -> list[Finding]:
    """The findings of a reconciliation; `confirmed` are claim ids a person confirmed."""
    problem = _Problem(ctx, confirmed)
    out = problem.run()
    out.sort(key=lambda f: (f.kind != "conflict", -f.importance, f.series, f.id))
    return out


class _Problem:
    def __init__(self, ctx: Context, confirmed: frozenset) -> None:
        self.ctx = ctx
        self.confirmed = confirmed
        self.reading: dict = {}  # atom -> reading
        self.blocked: set = set()  # atoms holding a confirmed claim
        self.checks: list = []  # (check, [frozenset(atoms)])
        self._atoms_cache: dict = {}  # (id(reading), group or None) -> frozenset of atoms
        self._items: dict = {}  # atom -> its items, asked for by every step
        for check in ctx.checks:
            if check.verdict != "conflict":
                continue
            raw = ctx.sides.get(id(check))
            if not raw:
                continue
            expanded = ctx.sides_of(check)
            printed = _explained_by_print(check, expanded) or _part_of_period(check, expanded, ctx)
            if printed:
                check.arithmetic["no_finding"] = printed  # the check stands; say why it is not one
                continue
            sides = []
            for side in raw:
                atoms = frozenset().union(*(self._atoms(entry) for entry in side))
                if atoms and not atoms & self.blocked:
                    sides.append(atoms)
            if sides:
                self.checks.append((check, sides))
        self.of_atom: dict = defaultdict(list)  # atom -> the checks (indices) it takes part in
        self.weighed: set = set()  # atoms of small sides: the only ones whose support can decide
        for n, (_, sides) in enumerate(self.checks):
            for side in sides:
                small = len(side) <= SMALL_SIDE
                for atom in side:
                    self.of_atom[atom].append(n)
                    if small:
                        self.weighed.add(atom)
        self.cluster = self._clusters()
        self.support = _LazySupport(self)
        self._support_sizes: dict = {}  # atom -> how many other groups support it
        self._keys: dict = {}  # answer (removed atoms) -> _key
        self._clusters_of_side: dict = {}  # side -> the clusters of its atoms
        self._sentence_keys: dict = {}  # atom -> where its items were read (see _sentences)
        self._last_index: tuple = (None, {})  # the last side given to _sentence_index, and its index
        self.strength: dict = {}
        self._cause_strength: dict = {}  # (id(reading), ids of the readings it faces) -> strength
        self.carried = Carried(ctx)  # how well each carried field is backed (triage)

    # --- the atoms ---------------------------------------------------------------------------

    def _atoms(self, entry) -> frozenset:
        """The atoms of a side's entry: a reading (all its groups) or (reading, one group),
        a merged reading standing for its parts; computed once per reading."""
        reading, group = entry if isinstance(entry, tuple) else (entry, None)
        key = (id(reading), group)
        found = self._atoms_cache.get(key)
        if found is None:
            found = self._atoms_cache[key] = frozenset(
                self._atom(b, g) for b in reading.base() for g in ((group,) if group else b.groups))
        return found

    def _atom(self, r: Reading, group: str) -> tuple:
        key = (group, id(r))
        if key not in self.reading:
            self.reading[key] = r
            if self.confirmed and any(c in self.confirmed for c in self.claims(key)):
                self.blocked.add(key)
        return key

    def order(self, atom) -> tuple:
        """A stable order of atoms (group, then the reading's creation), the same on every run:
        ties between equally likely suspects break by it, never by where objects sit in memory."""
        return atom[0], self.reading[atom].serial

    def items(self, atom) -> list:
        """The atom's items (read-only): its source group's claims of the reading."""
        found = self._items.get(atom)
        if found is None:
            group = atom[0]
            found = self._items[atom] = [it for it in self.reading[atom].items if it.group == group]
        return found

    def claims(self, atom) -> list[str]:
        return list(dict.fromkeys(it.claim.id for it in self.items(atom)))

    def _clusters(self) -> dict:
        uf = _UnionFind()
        for check, sides in self.checks:  # a stated ranking is one statement, however many figures
            if _is_ranking(check) and sides:
                first = sorted(sides[0], key=self.order)
                for atom in first[1:]:
                    uf.union(first[0], atom)
        for atom in self.reading:
            uf.find(atom)
            own = self.reading[atom]
            for it in self.items(atom):
                for other in (it.reading, it.change_reading):
                    if other is not None and other is not own:  # joining itself changes nothing
                        key = (atom[0], id(other))
                        if key in self.reading:
                            uf.union(atom, key)
        return {atom: uf.find(atom) for atom in self.reading}

    # --- solving -----------------------------------------------------------------------------

    def run(self) -> list[Finding]:
        solved = [(component, self._solve_component(component)) for component in self._components()]
        # readings every answer holds wrong, and those some answer does (the candidates of a tie)
        self.certain = {id(self.reading[a]) for _, (_, certain, _) in solved for a in certain}
        self.candidates = {id(self.reading[a]) for _, (removed, _, _) in solved for a in removed}
        outside = self.ctx.outside
        if outside is not None:  # the figures of other families the causes below may point to
            outside.fetch(self.ctx, list({id(r): r for r in map(self.reading.__getitem__,
                                                              (a for _, (removed, _, _) in solved for a in removed))
                                          }.values()))
            self.certain |= outside.wrong  # held wrong by their own findings
            self.candidates |= outside.candidates
        # a claim's value and change held wrong in two sets of conflicts are still one figure
        certain = frozenset(a for _, (_, sure, _) in solved for a in sure)
        findings = [self._finding(group, self._touching(group), certain, False) for group in self._figures(certain)]
        for component, (removed, _, uncertain) in solved:
            if uncertain:
                findings.append(self._finding(uncertain, component, removed, True))
        return findings

    def _touching(self, atoms: frozenset) -> list:
        """The conflicting checks some of `atoms` take part in."""
        return [self.checks[n] for n in sorted({n for a in atoms for n in self.of_atom.get(a, ())})]

    def _components(self) -> list[list]:
        """The checks joined by the atoms they share, each set in the order of its first check:
        a check is joined to the first one that named each of its atoms."""
        uf = _UnionFind()
        first: dict = {}  # atom -> the first check naming it
        for n, (_, sides) in enumerate(self.checks):
            uf.find(n)
            for side in sides:
                for atom in side:
                    m = first.setdefault(atom, n)
                    if m != n:
                        uf.union(m, n)
        groups: dict = defaultdict(list)
        for n in range(len(self.checks)):
            groups[uf.find(n)].append(self.checks[n])
        return list(groups.values())

    def _clusters_of(self, removed: frozenset) -> int:
        return len(set(map(self.cluster.__getitem__, removed)))

    def _key(self, removed: frozenset, clusters: Optional[int] = None) -> tuple:
        """(clusters, support) of an answer; the search, pruning and ranking ask again for the
        same sets (a frozenset keeps its hash, so looking one up costs less than counting)."""
        key = self._keys.get(removed)
        if key is None:
            if clusters is None:
                clusters = self._clusters_of(removed)
            key = self._keys[removed] = (clusters, sum(map(self._support_size, removed)))
        return key

    def _support_size(self, atom) -> int:
        size = self._support_sizes.get(atom)
        if size is None:
            size = self._support_sizes[atom] = len(self.support.get(atom, ()))
        return size

    def _full_key(self, removed: frozenset) -> tuple:
        return self._key(removed) + (-sum(self._strength(a) for a in removed),)

    def _solve_component(self, component: list) -> tuple:
        """(every atom some optimal answer removes, those all remove, those only some do)."""
        sides = [s for _, s in component]
        try:
            candidates = self._search(sides)
        except _TooBig:
            candidates = [self._greedy(sides)]
        solutions = {self._prune(sol, sides) for sol in candidates}
        optimal = list(solutions)
        if len(optimal) > 1:  # only rival answers need their causes weighed
            best = min(self._full_key(s) for s in solutions)
            optimal = [s for s in solutions if self._full_key(s) == best]
        if len(optimal) > 1:
            optimal = self._restatements(optimal)
        certain = frozenset.intersection(*optimal)
        uncertain = frozenset().union(*optimal) - certain
        return frozenset().union(*optimal), certain, uncertain

    def _search(self, checks: list) -> list[frozenset]:
        best: list = [None]
        found: list = []
        steps = [0]

        def visit(removed: frozenset, clusters: frozenset, support: int, first: int) -> None:
            """`clusters` and `support` are those of `removed`, which resolves every check
            before `first` (its parent's open check): a branch only adds to what it removed."""
            steps[0] += 1
            if steps[0] > NODE_LIMIT:
                raise _TooBig()
            n = first
            while n < len(checks) and any(side <= removed for side in checks[n]):
                n += 1
            if n == len(checks):
                key = self._known_key(removed, len(clusters), support)
                if best[0] is None or key < best[0]:
                    best[0] = key
                    found.clear()
                if key == best[0]:
                    found.append(removed)
                return
            # clusters first (cheap); the support of a branch is weighed only when it can win
            branches = []
            for side in checks[n]:
                grown = clusters | self._side_clusters(side)
                branches.append((len(grown), removed | side, grown, side))
            branches.sort(key=lambda branch: branch[0])
            for count, grown, grown_clusters, side in branches:
                if best[0] is not None and count > best[0][0]:
                    continue
                grown_support = support + sum(map(self._support_size, side - removed))
                if best[0] is not None and self._known_key(grown, count, grown_support) > best[0]:
                    continue
                visit(grown, grown_clusters, grown_support, n)

        visit(frozenset(), frozenset(), 0, 0)
        return found

    def _known_key(self, removed: frozenset, clusters: int, support: int) -> tuple:
        """`_key` of an answer whose clusters and support are already counted."""
        key = self._keys.get(removed)
        if key is None:
            key = self._keys[removed] = (clusters, support)
        return key

    def _side_clusters(self, side: frozenset) -> frozenset:
        found = self._clusters_of_side.get(side)
        if found is None:
            found = self._clusters_of_side[side] = frozenset(map(self.cluster.__getitem__, side))
        return found

    def _greedy(self, checks: list) -> frozenset:
        removed: frozenset = frozenset()
        while True:
            open_checks = [c for c in checks if not any(side <= removed for side in c)]
            if not open_checks:
                return removed
            sides = [s for c in open_checks for s in c]
            fewest = min(self._clusters_of(removed | s) for s in sides)
            side = min((s for s in sides if self._clusters_of(removed | s) == fewest),
                       key=lambda s: self._full_key(removed | s))
            removed = removed | side

    def _prune(self, removed: frozenset, checks: list) -> frozenset:
        """Drop atoms the solution does not need (the best-supported first)."""
        for atom in sorted(removed, key=lambda a: -self._support_size(a)):
            smaller = removed - {atom}
            if all(any(side <= smaller for side in c) for c in checks):
                removed = smaller
        return removed

    def _strength(self, atom) -> int:
        if atom not in self.strength:
            r = self.reading[atom]
            refs = [x for x in self._opponents(atom) if _same_cell(x, r)]
            # the atoms of one reading (one per source group) mostly face the same readings
            key = (id(r), *map(id, refs))
            found = self._cause_strength.get(key)
            if found is None:
                found = self._cause_strength[key] = cause_of(self.ctx, r, refs, None).strength
            self.strength[atom] = found
        return self.strength[atom]

    def _opponents(self, atoms) -> list[Reading]:
        """The readings on the other sides of the checks an atom (or atoms) takes part in."""
        atoms = {atoms} if isinstance(atoms, tuple) else set(atoms)
        out: dict = {}
        for n in sorted({n for a in atoms for n in self.of_atom.get(a, ())}):
            _, sides = self.checks[n]
            for side in sides:
                if not atoms & side:
                    for a in side:
                        out[id(self.reading[a])] = self.reading[a]
        return list(out.values())

    def _restatements(self, optimal: list) -> list:
        """Sources alike within one article: the restatement with fewer figures is held wrong."""
        differing = frozenset().union(*optimal) - frozenset.intersection(*optimal)
        articles = {it.article_id for a in differing for it in self.items(a)}
        if len(articles) != 1:
            return optimal
        detail = {s: sum(self._detail(self.cluster[a]) for a in s - frozenset.intersection(*optimal))
                  for s in optimal}
        least = min(detail.values())
        chosen = [s for s in optimal if detail[s] == least]
        return chosen if len(chosen) == 1 else optimal

    def _detail(self, cluster) -> int:
        """How many figures the claims of a cluster state (a headline's bare change: 1)."""
        figures = set()
        for atom, c in self.cluster.items():
            if c == cluster:
                for it in self.items(atom):
                    figures.update(x for x in (("v", id(it.reading)) if it.reading else None,
                                               ("c", id(it.change_reading)) if it.change_reading else None) if x)
        return len(figures)

    def _figures(self, atoms: frozenset) -> list[frozenset]:
        """Removed atoms grouped into wrong figures: one reading, or one claim's value and change."""
        uf = _UnionFind()
        by_reading: dict = defaultdict(list)
        for a in atoms:
            uf.find(a)
            by_reading[a[1]].append(a)
        for same in by_reading.values():
            for a in same[1:]:
                uf.union(same[0], a)
        by_cluster: dict = defaultdict(list)
        for a in atoms:
            by_cluster[self.cluster[a]].append(a)
        for same in by_cluster.values():
            for a in same[1:]:
                uf.union(same[0], a)
        groups: dict = defaultdict(set)
        for a in atoms:
            groups[uf.find(a)].add(a)
        return [frozenset(g) for g in groups.values()]

    # --- one finding -------------------------------------------------------------------------

    def _finding(self, atoms: frozenset, component: list, removed: frozenset, tied: bool) -> Finding:
        ctx = self.ctx
        readings = sorted({id(self.reading[a]): self.reading[a] for a in sorted(atoms, key=self.order)}.values(),
                          key=lambda r: r.kind != "level")  # the value, then the change
        primary = next((r for r in readings if r.kind == "level"), readings[0])
        suspects = self.candidates if tied else self.certain
        resolved = [(check, sides) for check, sides in component
                    if any(side <= removed and side & atoms for side in sides)]
        claim_ids = list(dict.fromkeys(c for a in sorted(atoms, key=self.order) for c in self.claims(a)))
        support, reference, how = self._supported(primary, removed, resolved, suspects)
        cause = (cause_of(ctx, primary, support, reference, suspects) if not tied
                 else self._tied_cause(atoms, suspects))
        if cause is FIGURE and len(readings) > 1:
            other = next(r for r in readings if r is not primary)
            cause = cause_of(ctx, other, [], None, suspects)
        ranking = [c for c, sides in resolved if _is_ranking(c) and sides[0] <= atoms]
        if ranking:
            cause = _ranking_cause(ranking[0])
        kind, triage = self._triage(atoms, resolved, cause.name)
        groups = sorted({g for r in support for g in r.groups if (g, id(r)) not in removed})
        explanation = _explain(ctx, readings, primary, atoms, self, support, reference, how, cause,
                               tied, kind, triage, resolved)
        checks = [c.id for c, _ in resolved]
        gap = _relative_gap(primary, reference)
        return Finding(
            kind=kind, series=ranking[0].series if ranking else primary.key, claim_ids=claim_ids, check_ids=checks, cause=cause.name,
            explanation=explanation,
            support_claim_ids=list(dict.fromkeys(i for r in support for i in r.claim_ids
                                                 if i not in claim_ids)),
            arithmetic={
                "suspects": [reading_json(r, ctx) for r in readings],
                "supported_interval": reference.as_list() if reference is not None else None,
                "supported_by": [reading_json(r, ctx) for r in support],
                "independent_sources": len(groups), "how": how, "tied": tied,
                "cause": {"name": cause.name, "detail": cause.detail,
                          "matches": [reading_json(r, ctx) for r in cause.matched]},
                "assumption": _assumption(readings),
                "triage": triage, "checks": len(checks),
            },
            importance=(1000 if kind == "conflict" else 0) + 10 * len(checks) + len(groups) + min(gap, 5.0),
        )

    def _tied_cause(self, atoms: frozenset, suspects: set):
        """The cause of a tie: what the strongest candidate's figure matches."""
        best = max(sorted(atoms, key=self.order), key=self._strength)
        r = self.reading[best]
        refs = [x for x in self._opponents(best) if _same_cell(x, r)]
        return cause_of(self.ctx, r, refs, None, suspects - {id(x) for x in refs})

    def _supported(self, r: Reading, removed: frozenset, resolved: list, suspects: set):
        """(readings the others agree on, their interval, how it was reached)."""
        ctx = self.ctx
        cell = ctx.cells.get((r.line, r.period))
        if cell is not None:
            pool = cell.reported_levels() if r.kind == "level" else [
                x for x in cell.changes.values() if x.modality == "reported"
                and (x.basis == r.basis or r.basis is None)]
            left = [x for x in pool if id(x) not in suspects or
                    any((g, id(x)) not in removed for g in x.groups)]
            cons = consensus_of(left)
            if cons is not None:
                return list(cons.members), cons.interval, "same period"
        for check, sides in resolved:
            got = _from_check(check, sides, r, self)
            if got is not None:
                return got
        return [], None, "none"

    def _triage(self, atoms: frozenset, resolved: list, cause: str) -> tuple[str, Optional[str]]:
        mine = [it for a in atoms for it in self.items(a)]
        carried = self.carried
        # a field carried against another named right there may put the figure in a wrong
        # series, whatever the disagreement (not a slip in the number itself)
        contested = sorted({f for it in mine for f in carried.contested(it.claim, PLACING)}) \
            if cause not in SLIPS else []
        if contested:
            return "check_reading", (f"the suspect's {', '.join(contested)} "
                                     f"{'were' if len(contested) > 1 else 'was'} carried from context "
                                     f"where the text beside its sentence names another")
        inferred = sorted({f for it in mine for f in carried.weak(it.claim, _CAN_MISPLACE.get(cause, set()))})
        unknown = sorted({name for it in mine for name, code in zip(("exporter", "importer"), it.line[:2])
                          if code is None})
        if unknown:
            return "check_reading", (f"the suspect's {' and '.join(unknown)} could not be read, so "
                                     f"figures of different flows may have been put together")
        if inferred:
            return "check_reading", (f"the suspect's {', '.join(inferred)} "
                                     f"{'were' if len(inferred) > 1 else 'was'} carried from context, "
                                     f"not stated in its sentence")
        fields = self._carried_against(atoms, resolved) if cause not in SLIPS else None
        if fields:
            return "check_reading", (f"the figures against it have their {', '.join(fields)} "
                                     f"carried from context, not stated in their sentences")
        for check, sides in resolved:
            for i, a in enumerate(sides):
                for b in sides[i + 1:]:
                    if self._one_sentence(a, b):
                        return "check_reading", "two figures of one sentence were read into one series"
        apart = self._apart(atoms, resolved) if cause == "figure" else None
        if apart is not None:
            return "check_reading", (f"figures of one series and period {apart:.1f} times apart, with no "
                                     f"slip or other period to explain it, are more likely two scopes "
                                     f"(a wider group of goods, a part) read as one than one misreported")
        return "conflict", None

    def _carried_against(self, atoms: frozenset, resolved: list) -> Optional[list]:
        """The placing fields carried from context by the figures against the suspect (those of
        other clusters in the checks it resolves), when every one of them carries one; else None.
        Looked at one figure at a time: the first with nothing carried settles it."""
        clusters = {self.cluster[a] for a in atoms}
        fields: set = set()
        for check, sides in resolved:
            for side in sides:
                if side & atoms:
                    continue
                for a in side:
                    if self.cluster[a] in clusters:
                        continue
                    for it in self.items(a):
                        weak = self.carried.weak(it.claim, PLACING)
                        if not weak:
                            return None
                        fields.update(weak)
        return sorted(fields) if fields else None

    def _apart(self, atoms: frozenset, resolved: list) -> Optional[float]:
        """How many times the largest level of the suspect's series and period in the checks
        it resolves is the smallest, when at least SCOPE_RATIO (else None)."""
        mine = {(self.reading[a].line, self.reading[a].period) for a in atoms if self.reading[a].kind == "level"}
        own = {id(self.reading[a]) for a in atoms}
        # figures held wrong by other findings (a dropped "million") say nothing of scope
        values = [r.value for r in map(self.reading.__getitem__, (a for _, sides in resolved
                                                                  for side in sides for a in side))
                  if r.kind == "level" and (r.line, r.period) in mine
                  and (id(r) in own or id(r) not in self.certain) and r.value > 0]
        if len(values) < 2 or max(values) < SCOPE_RATIO * min(values):
            return None
        return max(values) / min(values)

    def _one_sentence(self, a: frozenset, b: frozenset) -> bool:
        """Two sides disagreeing on one series with figures read from one sentence: a figure
        of each, of different clusters, from the same sentence, series and period."""
        here = self._sentence_index(a)
        for y in b:
            cluster = self.cluster[y]
            for key in self._sentences(y):
                found = here.get(key)
                if found and (len(found) > 1 or cluster not in found):
                    return True
        return False

    def _sentence_index(self, side: frozenset) -> dict:
        """(article, sentence start, line, period) -> the clusters of the side's atoms read
        there. The last side's is kept: the triage compares one side with each of the others
        in turn (keeping every side's would cost more memory than the time it saves)."""
        last_side, here = self._last_index
        if side != last_side:
            here = {}
            for x in side:
                for key in self._sentences(x):
                    here.setdefault(key, set()).add(self.cluster[x])
            self._last_index = (side, here)
        return here

    def _sentences(self, atom) -> frozenset:
        """(article, sentence start, line, period) of the atom's items, worked out once: an
        atom takes part in the triage of every finding near it."""
        found = self._sentence_keys.get(atom)
        if found is None:
            found = self._sentence_keys[atom] = frozenset(
                (it.article_id, it.claim.start, it.line, it.period) for it in self.items(atom))
        return found


PLACING = {"exporter", "importer", "commodity", "period", "flow"}
# Reporting errors without a named cause (a revision, a typo, a figure truncated) move a figure
# by a little; levels of one series and period this many times apart are two scopes read as one.
SCOPE_RATIO = 2.0
SLIPS = {"separator", "multiplier", "unit", "transposed_digits", "sign"}
# The inferred fields that can explain a finding of each cause: a period carried from context
# can put a figure in the wrong month, a commodity carried can label it wrongly; a slip in the
# number itself (x1,000, transposed digits, the sign) is the text's, however the claim was placed.
_CAN_MISPLACE = {
    "wrong_period": {"period"}, "wrong_commodity": {"commodity"},
    "wrong_partner": {"exporter", "importer", "flow"}, "basis": {"change_basis", "period"},
    "figure": PLACING, "ranking": PLACING,
}


class _LazySupport:
    """atom -> the other source groups that corroborate it, worked out when first asked: those
    giving a figure of its cell that fits it (every one that fits, whichever the consensus
    took), and those taking part with it in consistent checks across periods."""

    def __init__(self, problem: _Problem) -> None:
        self.problem = problem
        self.known: dict = {}
        self._across: Optional[dict] = None

    def get(self, atom, default=()):
        found = self.known.get(atom)
        if found is None:
            found = self.known[atom] = self._work_out(atom) if atom in self.problem.weighed else frozenset()
        return found

    def _work_out(self, atom) -> set:
        group, rid = atom
        r = self.problem.reading[atom]
        out: set = set()
        cell = self.problem.ctx.cells.get((r.line, r.period))
        if cell is not None:
            pool = cell.reported_levels() if r.kind == "level" else [
                x for x in cell.changes.values() if x.modality == "reported" and x.basis == r.basis]
            for x in pool:
                if x is not r and x.interval.overlaps(r.interval):
                    out.update(x.groups[:SUPPORT_CAP])
                    if len(out) > SUPPORT_CAP:
                        break
        out.update(self.across().get(rid, ()))
        out.discard(group)
        return out

    def across(self) -> dict:
        """reading id -> groups of the consistent checks across periods it takes part in."""
        if self._across is None:
            wanted = {rid for _, rid in self.problem.weighed}
            parts: dict = {}  # id(merged reading) -> its parts among the wanted
            across: dict = defaultdict(set)
            ctx = self.problem.ctx
            for check in ctx.checks:
                if check.verdict != "consistent" or check.kind not in SUPPORT_KINDS:
                    continue
                raw = ctx.sides.get(id(check))
                if not raw:
                    continue
                readings = [e[0] if isinstance(e, tuple) else e for side in raw for e in side]
                hit = []
                for r in readings:
                    mine = parts.get(id(r))
                    if mine is None:
                        mine = parts[id(r)] = [id(b) for b in r.base() if id(b) in wanted]
                    if mine:  # most readings have no part to weigh
                        hit.extend(mine)
                if hit:
                    for rid in hit:
                        have = across[rid]
                        if len(have) <= SUPPORT_CAP:
                            for r in readings:
                                have.update(r.groups[:SUPPORT_CAP])
            self._across = across
        return self._across


def _is_ranking(check: Check) -> bool:
    return check.kind == "aggregate" and check.arithmetic.get("what") == "ranking"


def _same_cell(a: Reading, b: Reading) -> bool:
    return a.line == b.line and a.period == b.period and a.kind == b.kind


def _explained_by_print(check: Check, sides: list) -> Optional[str]:
    """The disagreement goes once the figures are read as newsrooms print them: independent
    sources agreeing if one figure was cut off rather than rounded (42.737 -> 42.73), or round
    figures of three or more significant digits read to their last one (55,400 t by a wire
    that rounds to hundreds, 62,580 t to tens). The check stands; it makes no finding."""
    if check.kind == "same_figure" and check.arithmetic.get("truncated"):
        groups = [{g for r, g0 in side for g in ((g0,) if g0 else r.groups)} for side in sides]
        if len(groups) == 2 and groups[0].isdisjoint(groups[1]):
            return "independent sources agree if one figure was cut off rather than rounded"
    readings = [[r for r, _ in side] for side in sides]
    if not any(_round(r) is not None for side in readings for r in side):
        return None
    agree = False
    if check.kind == "same_figure" and len(readings) == 2:
        agree = any(_widened(a).overlaps(_widened(b)) for a in readings[0] for b in readings[1])
    elif check.kind in ("implied_value", "stated_change") and len(readings) == 3:
        a, ch, t = (_widened(side[0]) for side in readings)
        implied = _implied(a, ch)
        agree = implied is not None and implied.overlaps(t)
    return "the figures agree if a round figure is read to its last significant digit" if agree else None


def _part_of_period(check: Check, expanded: Optional[list], ctx: Context) -> Optional[str]:
    """One side's figures cover their period only to a day within its last month, or a part of
    that month, and are no more than the other side's: a part beside its whole, not a rival
    figure ("8.05 Mt as of November 15" beside "8.5 Mt in the first 11 months"). `expanded`:
    the check's sides as `ctx.sides_of` gives them."""
    if check.kind != "same_figure":
        return None
    sides = [list({id(r): r for r, _ in side}.values()) for side in expanded or []]
    if len(sides) != 2 or not all(sides):
        return None
    for part, whole in (sides, sides[::-1]):
        first = _part_words(part[0], ctx)
        if first and all(_part_words(r, ctx) for r in part[1:]) and \
                not any(_part_words(r, ctx) for r in whole) and \
                max(r.interval.lo for r in part) <= min(r.interval.hi for r in whole):
            return (f"one figure covers its period only in part ('{first}'): no more than the "
                    f"whole the other gives, not another figure for it")
    return None


def _part_words(r: Reading, ctx: Context) -> Optional[str]:
    """`part_of` of a reading, worked out once: a reading takes part in many checks."""
    key = ("part_of", id(r))
    if key not in ctx.memo:
        ctx.memo[key] = part_of(r, ctx.vocab)
    return ctx.memo[key]


def _from_check(check: Check, sides: list, r: Reading, problem: _Problem):
    """What a resolved check says the suspect should be, when its own period has no other figure."""
    # atoms in their stable order (group, then the reading's creation), not by object address
    readings = [list({id(problem.reading[a]): problem.reading[a] for a in sorted(side, key=problem.order)}.values())
                for side in sides]
    where = next((n for n, side in enumerate(readings) if any(x is r for x in side)), None)
    if where is None:
        return None
    others = [x for n, side in enumerate(readings) if n != where for x in side]
    if check.kind in ("implied_value", "stated_change") and len(readings) == 3:
        (a,), (ch,), (t,) = (side[:1] for side in readings)
        if where == 2:  # the earlier figure: what the later value and its change imply
            x = _implied(a.interval, ch.interval)
            return ([a, ch], x, "implied") if x is not None else None
        if where == 0 and t.interval.lo >= 0:  # the later value: the earlier one grown by the change
            return [t, ch], _grown(t.interval, ch.interval), "grown"
        if where == 1 and t.interval.lo > 0:  # the change: what the two values give
            return [a, t], change_between(a.interval, t.interval), "computed"
        return None
    if check.kind == "aggregate" and check.arithmetic.get("what") != "ranking":
        total = readings[0]
        if where == 0:
            lo = sum(x.interval.lo for x in others)
            return others, Interval(lo, INF), "parts"
        parts = check.arithmetic.get("parts_sum")
        whole = Interval(min(x.interval.lo for x in total), max(x.interval.hi for x in total))
        if parts:
            rest = float(parts[0]) - r.interval.lo
            return total + [x for x in others if x not in total], Interval(0.0, max(0.0, whole.hi - rest)), "total"
    if check.kind == "label":
        return others, None, "label"
    return others, None, "other"


def _ranking_cause(check: Check) -> Cause:
    return Cause("ranking", 1, check.explanation)


def _implied(current: Interval, change: Interval) -> Optional[Interval]:
    return implied_previous(current, change)


def _grown(previous: Interval, change: Interval) -> Interval:
    g = growth_factor(change)
    lo, hi = previous.lo * max(g.lo, 0.0), previous.hi * max(g.hi, 0.0)
    return Interval(lo, hi)


def _relative_gap(r: Reading, reference: Optional[Interval]) -> float:
    if reference is None or not reference.bounded:
        return 0.0
    gap = r.interval.gap(reference)
    scale = max(abs(r.value), abs(reference.mid() or 0.0), 1e-9)
    return gap / scale if r.kind == "level" else gap / max(abs(r.value), 1.0)


def _assumption(readings: list) -> Optional[str]:
    assumed = [r for r in readings if r.kind == "change" and r.assumed]
    if not assumed:
        return None
    r = assumed[0]
    return (f"{r.text().split(' (')[0]} states no basis in its sentence; it is compared as "
            f"{basis_label(r.basis)}, the basis {r.assumed} states.")


def _explain(ctx: Context, readings, primary, atoms, problem, support, reference, how, cause,
             tied, kind, triage, resolved) -> str:
    fmt = pct if primary.kind == "change" else iv
    if tied:
        names = " and ".join(f"{r.text()} ({ctx.src(r)})" for r in readings)
        head = (f"{names} for {primary.key} cannot all be right, and nothing here says which is "
                f"wrong: the sources are alike in support.")
    else:
        head = f"{primary.text()} for {primary.key} ({ctx.src(primary)}) is likely wrong."
        extra = [r for r in readings if r is not primary]
        if extra:
            head = (f"{primary.text()} with {' and '.join(r.text() for r in extra)} for {primary.key} "
                    f"({ctx.src(primary)}) is likely wrong.")
    if cause.name == "ranking":
        stating = dict.fromkeys(it.article_id for a in sorted(atoms, key=problem.order) for it in problem.items(a))
        names = " and ".join(f'"{ctx.article_name(x)}"' for x in stating)
        head = f"The ranking stated by {names} for {primary.period.label()} is likely wrong."
        support = []
    parts = [head]
    mine = {a[0] for a in atoms}
    groups = sorted({g for r in support for g in r.groups})
    n = len(groups)
    if support and how == "same period":
        figures = " and ".join(f"{r.text()} ({ctx.src(r)})" for r in support)
        verb = "agree on" if len(support) > 1 else "gives"
        if set(groups) <= mine:
            parts.append(f"The same source gives {fmt(reference)} elsewhere: {figures} {verb} it once "
                         f"rounding is allowed for.")
        elif tied:
            parts.append(f"{figures} fit{'s' * (len(support) == 1)} either, once rounding is allowed for.")
        else:
            parts.append(f"{n} independent source{'s' * (n != 1)} support{'s' * (n == 1)} "
                         f"{fmt(reference)} instead: {figures} {verb} it once rounding is allowed for.")
    elif reference is not None and how in ("implied", "grown", "computed"):
        a, b = support[0], support[1]
        verb = {"implied": "imply", "grown": "imply", "computed": "give a change of"}[how]
        parts.append(f"{a.text()} for {a.period.label()} ({ctx.src(a)}) and {b.text()} "
                     f"({ctx.src(b)}) {verb} {fmt(reference)} instead.")
    elif reference is not None and how == "total":
        parts.append(f"The total and the other parts leave at most {fmt_num(round(reference.hi, 1))} t "
                     f"for it.")
    elif reference is not None and how == "parts":
        parts.append(f"Its parts add up to at least {fmt_num(round(reference.lo, 1))} t.")
    elif support and how == "label":
        figures = " and ".join(f"{r.text()} for {r.line[2]} ({ctx.src(r)})" for r in support)
        parts.append(f"The same figure is given as {figures}.")
    if cause.name == "ranking":
        parts.append(cause.detail)
    elif cause.name != "figure" and cause.detail:
        parts.append(f"Likely cause ({cause.name.replace('_', ' ')}): {cause.detail}")
    checks = len(resolved)
    parts.append(f"It explains {checks} conflicting check{'s' * (checks != 1)}.")
    assumption = _assumption(readings)
    if assumption:
        parts.append(assumption)
    opposing = [a for c, sides in resolved for side in sides if not side & atoms for a in side]
    if opposing and all(a[0] in mine for a in opposing):
        parts.append("Both figures come from one source, which contradicts itself.")
    if kind == "check_reading":
        parts.append(f"More likely a misreading than a reporting error: {triage}.")
    return " ".join(parts)


__all__ = ["find_findings"]
