"""Who may do what: the one place that decides whether an organisation may change something.

A provider changes its own installations; the project's leader changes anything and alone
changes the project's definitions. Submitted figures are locked for providers until they
withdraw the submission, accepted ones until the leader reopens them. Every refusal is a
``PermissionDenied`` that says who, what and why.
"""

from __future__ import annotations

from vatui.store import reviews
from vatui.store.errors import PermissionDenied
from vatui.store.models import Installation
from vatui.store.reads import Reads


def may_change(name: str, leader: bool, item: Installation) -> bool:
    """The rule of who may change an installation: its providers and the project leader."""
    return leader or name in item.providers


class Access(Reads):
    """The permission checks of ``Store``; each returns the actor's name as the project spells
    it, or raises the refusal."""

    def organisation(self, actor: str) -> str:
        """The organisation ``actor`` names, as the project spells it; refused if unknown.

        The leader is known without reading every installation's providers."""
        wanted, leader = actor.strip().lower(), self.project().leader
        if leader.lower() == wanted:
            return leader
        for name in self.organisations():
            if name.lower() == wanted:
                return name
        raise PermissionDenied(
            actor,
            "write to this store",
            f"it is not an organisation of this project (known: {', '.join(self.organisations())})",
        )

    def is_leader(self, actor: str) -> bool:
        return actor.strip().lower() == self.project().leader.lower()

    def require_leader(self, actor: str, action: str) -> str:
        """The leader's name as the project spells it, else the refusal ``action`` would get.

        Screens ask before opening a leader's form, so a provider learns why before typing.
        """
        name = self.organisation(actor)
        if not self.is_leader(name):
            raise PermissionDenied(
                name, action, f"only the project leader {self.project().leader} may do that"
            )
        return name

    def require_provider(self, actor: str, item: Installation, action: str) -> str:
        """The name of ``actor`` if it provides ``item`` or leads the project, else the refusal
        of ``action`` on it."""
        name = self.organisation(actor)
        if may_change(name, self.is_leader(name), item):
            return name
        providers = ", ".join(item.providers) or "nobody yet"
        raise PermissionDenied(
            name,
            f"{action} on {item.id} ({item.name})",
            f"it is provided by {providers}; only they and the project leader "
            f"{self.project().leader} may change it",
        )

    def require_open(self, actor: str, item: Installation, period: str) -> None:
        """Refuse a provider's edit of a submitted or accepted installation-period, saying how
        to open it again; the leader may edit it (the thread records what the leader changes).
        """
        if self.is_leader(actor):
            return
        current = reviews.state(self, item.id, period)
        if current == reviews.SUBMITTED:
            raise PermissionDenied(
                actor,
                f"change {item.id} {period}",
                f"it is under review (submitted{self._by(item, period, 'submit')}); "
                + _withdraw_first(item, period),
            )
        if current == reviews.ACCEPTED:
            raise PermissionDenied(
                actor,
                f"change {item.id} {period}",
                f"it was accepted{self._by(item, period, 'accept')}; ask the leader "
                f"({self.project().leader}) to reopen it (`vatui review reopen`)",
            )

    def require_no_submission(self, actor: str, item: Installation) -> None:
        """Refuse a provider's entry in the delay log while any period of the installation
        waits for review: the report under review shows the log."""
        waiting = [] if self.is_leader(actor) else reviews.submitted_periods(self, item.id)
        if waiting:
            period = waiting[0]
            raise PermissionDenied(
                actor,
                f"record a delay of {item.id}",
                f"its figures for {period}, with the delay log, are under review "
                f"(submitted{self._by(item, period, 'submit')}); "
                + _withdraw_first(item, period, "record the delay"),
            )

    def _by(self, item: Installation, period: str, action: str) -> str:
        """`` by VLIZ at 2024-10-09T12:00:00Z``: who last took the review step, and when."""
        step = reviews.latest(self, item.id, period, action)
        return f" by {step.actor} at {step.at}" if step else ""

    def write_refusal(
        self, actor: str, installation: str, period: str | None = None
    ) -> PermissionDenied | None:
        """Why ``actor`` may not change ``installation`` (and, with ``period``, its figures and
        texts for that period, which a submission or an acceptance locks), or None when it may.

        A UI shows this before anyone tries, so read-only parts can say why they are read-only.
        """
        try:
            item = self.installation(installation)
            name = self.require_provider(actor, item, "make changes")
            if period is not None:
                self.require_open(name, item, self.period(period).label)
        except PermissionDenied as refusal:
            return refusal
        return None

    def writable_installations(self, actor: str, among: list[str] | None = None) -> set[str]:
        """The ids of the installations ``actor`` may change, in one pass; with ``among``, of
        those only (the dashboard asks about the rows it shows)."""
        name = self.organisation(actor)
        leader = self.is_leader(name)
        if leader:  # may_change: the leader, every one (their ids alone are read)
            return set(self.installation_ids() if among is None else among)
        items = self.installations() if among is None else map(self.installation, among)
        return {item.id for item in items if may_change(name, leader, item)}

    # ---- review steps ----------------------------------------------------------------------

    def require_reviewer(
        self, actor: str, item: Installation, rule: reviews.Rule, period: str
    ) -> str:
        """The name of ``actor`` if the review ``rule`` lets it take its step, else the refusal:
        providers submit and withdraw, the leader accepts, returns and reopens, either may
        comment."""
        if rule.by == "leader":
            return self.require_leader(actor, f"{rule.verb} {item.id} {period}")
        what = f"{rule.verb} the figures of {period}"
        name = self.require_provider(actor, item, what)
        if rule.by == "provider" and name not in item.providers:
            raise PermissionDenied(
                name,
                f"{what} on {item.id}",
                f"its providers ({', '.join(item.providers) or 'nobody yet'}) submit it; "
                "the leader accepts or returns it",
            )
        return name

    def review_actions(self, actor: str, installation: str, period: str) -> list[str]:
        """The review actions ``actor`` may take now, in the order of ``reviews.RULES``, so a UI
        offers only those; an organisation outside the project may take none.

        ``Store.review`` still decides when one is taken.
        """
        item = self.installation(installation)
        span = self.period(period)
        current = reviews.state(self, item.id, span.label)
        allowed = []
        for action, rule in reviews.RULES.items():
            if current not in rule.from_states:
                continue
            try:
                self.require_reviewer(actor, item, rule, span.label)
            except PermissionDenied:
                continue
            allowed.append(action)
        return allowed


def _withdraw_first(item: Installation, period: str, then: str = "change it") -> str:
    """How a provider opens its submitted figures again, in the CLI's and the TUI's words."""
    return (
        f"withdraw the submission first (`vatui review withdraw --installation {item.id} "
        f"--period {period}`, or w on its Review tab), {then}, then submit again"
    )
