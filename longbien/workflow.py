"""Declarative state machines for records with a life cycle.

A model with a life cycle declares its transitions once, in a :class:`Workflow`: for each
move its name, the state(s) it starts from, the state it ends in, who may take it (a
:class:`Who`, evaluated through the scope rules of :mod:`longbien.org.scope`), its label and
the service that performs it. Everything else derives from that table:

- the services call :meth:`Workflow.check` (a user who may not act gets ``PermissionDenied``;
  a move the table does not allow is a clear Vietnamese ``ValidationError``, never a silent
  no-op);
- the pages render :meth:`Workflow.actions` (the buttons of "what may this user do now",
  through ``templates/includes/workflow_buttons.html``);
- the API's workflow actions ask :meth:`Workflow.check` before calling the service;
- an import reaches only the states :meth:`Workflow.path` finds through the transitions
  marked ``imports=True`` that the importing user may take.

Example::

    WORKFLOW = Workflow(
        "cadres.Evaluation",
        [
            Transition(
                "approve", S.ASSESSED, S.APPROVED,
                who=Who(area=scope.Area.CADRES, not_the_person=_("Không được tự phê duyệt …")),
                label=_("Phê duyệt"), service="cadres.services.evaluation_approve",
            ),
            ...
        ],
    )
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from longbien.core.memo import kept_answer
from longbien.org import scope

# A refusal is a message (the user may not act) or None (the user may act).
Refusal = Callable[[Any, Any], Any]


def _follow(obj: Any, dotted: str) -> Any:
    for part in dotted.split("__") if dotted else ():
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


@dataclass(frozen=True)
class Who:
    """Who may take a transition: a scope rule on the record's unit, plus extra conditions.

    - ``area`` and ``action``: the user needs ``action`` in ``area`` on the unit found at
      ``unit`` (a dotted path from the record; ``""`` for a record that is a unit itself);
      ``roles``, when given, narrows it to those roles' grants.
    - ``the_person``: the person the record is about may act too, without any role (the
      cadre's self-assessment). ``person`` names the record's person field.
    - ``not_the_person``: the record's own person may not act, with this message (nobody
      assesses or approves their own evaluation).
    - ``check``: a rule of the model's own, ``(user, obj) -> message or None``, instead of the
      scope rule (documents issued above have no unit).
    - ``condition``: a further condition, ``(user, obj) -> message or None``.
    """

    area: str = ""
    action: str = scope.CHANGE
    unit: str = "unit"
    roles: frozenset[str] | None = None
    the_person: bool = False
    not_the_person: Any = None
    person: str = "person"
    denied: Any = gettext_lazy("Bạn không có quyền thực hiện bước này.")
    check: Refusal | None = None
    condition: Refusal | None = None

    def is_the_person(self, user: Any, obj: Any) -> bool:
        person_id = getattr(user, "person_id", None)
        return bool(person_id) and getattr(obj, f"{self.person}_id", None) == person_id

    def in_scope(self, user: Any, obj: Any) -> bool:
        unit = _follow(obj, self.unit) if self.unit else obj
        if unit is None:
            return False
        if self.roles is None:
            return scope.can(user, self.area, self.action, unit)
        return any(
            grant.role in self.roles
            and self.action in scope.RULES.get(grant.role, {}).get(self.area, ())
            and unit.path.startswith(grant.path)
            for grant in scope.grants(user)
        )

    def refusal(self, user: Any, obj: Any, *, denied: Any = None) -> str | None:
        """Return why ``user`` may not take the step on ``obj`` (None when they may)."""
        if self.the_person and self.is_the_person(user, obj):
            return None
        if self.check is not None:
            message = self.check(user, obj)
            if message:
                return str(message)
        elif not self.in_scope(user, obj):
            return str(denied or self.denied)
        if self.not_the_person and self.is_the_person(user, obj):
            return str(self.not_the_person)
        if self.condition is not None:
            message = self.condition(user, obj)
            if message:
                return str(message)
        return None

    def __call__(self, user: Any, obj: Any) -> bool:
        return self.refusal(user, obj) is None


@dataclass(frozen=True)
class Transition:
    """One move of a life cycle: from ``source`` (a state or several) to ``target``.

    ``service`` is the function that performs it (or its dotted path, resolved on first use,
    so that the services module may import the table). ``url_name`` is the page of the step
    (reversed with the record's pk): a link (``method="get"``, a form page) or a one-click
    POST form (``method="post"``, with a reason field when ``reason_required``). ``button``
    says whether the step is offered on the record's page (a grid's bulk step is not);
    ``imports`` whether an import may record it. ``own_label`` is the label shown to the
    record's own person; ``invalid_message`` replaces the generic error for a wrong state.
    """

    name: str
    source: Any
    target: str
    who: Who
    label: Any
    service: Any = None
    style: str = ""
    reason_required: bool = False
    url_name: str = ""
    method: str = "get"
    button: bool = True
    imports: bool = False
    own_label: Any = None
    invalid_message: Any = None
    sources: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        source = (self.source,) if isinstance(self.source, str) else tuple(self.source)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "sources", frozenset(str(s) for s in source))

    def starts_from(self, state: str) -> bool:
        return str(state) in self.sources

    def perform(self, **kwargs: Any) -> Any:
        """Call the transition's service with keyword arguments."""
        service = import_string(self.service) if isinstance(self.service, str) else self.service
        if service is None:
            raise ImproperlyDeclared(f"transition {self.name!r} has no service")
        return service(**kwargs)

    def label_for(self, user: Any, obj: Any) -> str:
        if self.own_label and self.who.is_the_person(user, obj):
            return str(self.own_label)
        return str(self.label)


# Named after Django's ImproperlyConfigured, which it parallels, not with an Error suffix.
class ImproperlyDeclared(Exception):  # noqa: N818
    """A workflow table that contradicts itself (found at declaration time)."""


@dataclass(frozen=True)
class Action:
    """A transition offered to a user on a record: what a button needs."""

    name: str
    label: str
    url: str
    style: str
    method: str
    reason_required: bool


#: How many (state, filter) answers of :meth:`Workflow.reachable_states` a table keeps.
_REACHABLE_KEPT = 64


class Workflow:
    """The transition table of one model's ``field`` (its status)."""

    def __init__(
        self,
        model: str,
        transitions: Iterable[Transition],
        *,
        field: str = "status",
        state_errors: dict[str, Callable[[Any], ValidationError]] | None = None,
    ) -> None:
        self.model_label = model
        self.field = field
        self.transitions: dict[str, Transition] = {}
        for transition in transitions:
            if transition.name in self.transitions:
                raise ImproperlyDeclared(f"{model}: transition {transition.name!r} declared twice")
            self.transitions[transition.name] = transition
        # A state-specific explanation of why nothing (but its own steps) starts there, such
        # as "approved and locked", used instead of the generic invalid-move message.
        self.state_errors = dict(state_errors or {})
        # The table is fixed once declared: what starts from a state and what a state leads
        # to are worked out once (an import asks them of each of its thousands of rows).
        self._from: dict[str, list[Transition]] = {}
        self._reachable: dict[tuple[str | None, Any], frozenset[str]] = {}

    # --- The table ------------------------------------------------------------------------

    def __getitem__(self, name: str) -> Transition:
        try:
            return self.transitions[name]
        except KeyError:
            raise KeyError(f"{self.model_label} has no transition {name!r}") from None

    def __iter__(self) -> Iterator[Transition]:
        return iter(self.transitions.values())

    def __contains__(self, name: object) -> bool:
        return name in self.transitions

    @cached_property
    def model(self) -> Any:
        return apps.get_model(self.model_label)

    @cached_property
    def labels(self) -> dict[str, Any]:
        return dict(self.model._meta.get_field(self.field).choices)

    @property
    def states(self) -> list[str]:
        return list(self.labels)

    def state_of(self, obj: Any) -> str:
        return str(getattr(obj, self.field))

    def transitions_from(self, state: str) -> list[Transition]:
        found = self._from.get(state)
        if found is None:
            found = self._from[state] = [t for t in self if t.starts_from(state)]
        return list(found)

    def targets(self, source: str) -> set[str]:
        """The states one move leads to from ``source`` (the table's ``{from: {to}}``)."""
        return {t.target for t in self.transitions_from(source)}

    def as_dict(self) -> dict[str, set[str]]:
        """The table as ``{from: {to, …}}`` for every state of the field."""
        return {state: self.targets(state) for state in self.states}

    def find(
        self, source: str, target: str, *, only: Callable[[Transition], bool] | None = None
    ) -> Transition | None:
        """The first transition (in declaration order) from ``source`` to ``target``."""
        for transition in self.transitions_from(source):
            if transition.target == target and (only is None or only(transition)):
                return transition
        return None

    def reachable_states(
        self,
        source: str | None = None,
        *,
        user: Any = None,
        obj: Any = None,
        only: Callable[[Transition], bool] | None = None,
    ) -> set[str]:
        """The states reachable in one or more moves.

        From ``source`` (every state when None); only through transitions that pass
        ``only`` and, when ``user`` is given, that the user may take on ``obj``.
        """
        if user is None:
            # Bounded: an ``only`` made per call (a lambda) is a new key each time.
            known = kept_answer(
                self._reachable,
                (source, only),
                lambda: frozenset(self._reach(source, None, None, only)),
                at_most=_REACHABLE_KEPT,
            )
            return set(known)
        return self._reach(source, user, obj, only)

    def _reach(
        self, source: str | None, user: Any, obj: Any, only: Callable[[Transition], bool] | None
    ) -> set[str]:
        starts = [source] if source is not None else self.states
        seen: set[str] = set()
        todo = list(starts)
        while todo:
            state = todo.pop()
            for transition in self.transitions_from(state):
                if only is not None and not only(transition):
                    continue
                if user is not None and transition.who.refusal(user, obj) is not None:
                    continue
                if transition.target not in seen:
                    seen.add(transition.target)
                    todo.append(transition.target)
        return seen

    # --- Who may do what, now -------------------------------------------------------------

    def refusal(self, user: Any, obj: Any, name: str) -> str | None:
        """Why ``user`` may not take ``name`` on ``obj``, whatever its state (None if they may)."""
        return self[name].who.refusal(user, obj)

    def may_act(self, user: Any, obj: Any, name: str) -> bool:
        return self.refusal(user, obj, name) is None

    def permits(self, user: Any, obj: Any, name: str) -> bool:
        """Whether ``user`` may take ``name`` on ``obj`` in its current state."""
        transition = self[name]
        return transition.starts_from(self.state_of(obj)) and self.may_act(user, obj, name)

    def available(self, user: Any, obj: Any, *, buttons: bool = False) -> list[Transition]:
        """What may this user do now: the transitions from the record's state they may take.

        With ``buttons``, only the steps offered on the record's page.
        """
        return [
            t
            for t in self.transitions_from(self.state_of(obj))
            if (t.button or not buttons) and t.who.refusal(user, obj) is None
        ]

    def timeline(self, obj: Any) -> list[dict[str, Any]]:
        """The states ``obj`` went through, oldest first, read from its audit entries: each
        step's ``when``, ``status``, ``label``, ``who`` (the actor) and ``reason``.

        The record's page shows its life cycle from the one trail every write leaves; a
        record created in a later state (an import) starts there. One query.
        """
        from auditlog.models import LogEntry  # the kernel's models import this module

        initial = self.model._meta.get_field(self.field).get_default()
        steps: list[dict[str, Any]] = []
        entries = (
            LogEntry.objects.get_for_object(obj).select_related("actor").order_by("timestamp", "pk")
        )
        for entry in entries:
            changes = entry.changes_dict or {}
            if entry.action == LogEntry.Action.CREATE:
                status = (changes.get(self.field) or [None, initial])[-1]
            elif self.field in changes:
                status = changes[self.field][-1]
            else:
                continue
            steps.append({
                "when": entry.timestamp, "status": status,
                "label": self.labels.get(status, status), "who": entry.actor or "",
                "reason": (entry.additional_data or {}).get("reason", ""),
            })  # fmt: skip
        return steps

    def actions(self, user: Any, obj: Any) -> list[Action]:
        """The buttons of :meth:`available` for a page (see ``includes/workflow_buttons.html``)."""
        return [
            Action(
                name=t.name,
                label=t.label_for(user, obj),
                url=reverse(t.url_name, args=[obj.pk]) if t.url_name else "",
                style=t.style,
                method=t.method,
                reason_required=t.reason_required,
            )
            for t in self.available(user, obj, buttons=True)
        ]

    # --- Checks ---------------------------------------------------------------------------

    def invalid_error(self, obj: Any, transition: Transition) -> ValidationError:
        """The clear error for ``transition`` attempted from the record's current state."""
        current = self.state_of(obj)
        explain = self.state_errors.get(current)
        if explain is not None and not transition.starts_from(current):
            return explain(obj)
        if transition.invalid_message:
            return ValidationError(str(transition.invalid_message), code="invalid_transition")
        if transition.target == current:  # "from X to X" would explain nothing: name the step
            return ValidationError(
                _("Không thực hiện được bước “%(step)s” ở trạng thái “%(current)s”.")
                % {"step": transition.label, "current": self.labels.get(current, current)},
                code="invalid_transition",
            )
        return move_error(self.labels, current, transition.target)

    def check_state(self, obj: Any, name: str) -> Transition:
        """Raise the clear ValidationError unless ``name`` starts from the record's state."""
        transition = self[name]
        if not transition.starts_from(self.state_of(obj)):
            raise self.invalid_error(obj, transition)
        return transition

    def check(self, user: Any, obj: Any, name: str) -> Transition:
        """Raise unless ``user`` may take ``name`` on ``obj`` now; return the transition.

        ``PermissionDenied`` (with the table's Vietnamese reason) for a user who may not take
        this step on this record; ``ValidationError`` for a step the record's state does not
        allow. Nothing is changed either way.
        """
        refusal = self.refusal(user, obj, name)
        if refusal is not None:
            raise PermissionDenied(refusal)
        return self.check_state(obj, name)

    def check_move(
        self,
        user: Any,
        obj: Any,
        target: str,
        *,
        only: Callable[[Transition], bool] | None = None,
    ) -> Transition | None:
        """Check a move to ``target`` given as a state (an edited status field).

        Return the transition taken, None when the state does not change.
        """
        current = self.state_of(obj)
        if str(target) == current:
            return None
        transition = self.find(current, str(target), only=only)
        if transition is None:
            explain = self.state_errors.get(current)
            raise explain(obj) if explain is not None else move_error(self.labels, current, target)
        return self.check(user, obj, transition.name)


def move_error(labels: dict[str, Any], current: str, target: str) -> ValidationError:
    return ValidationError(
        _("Không thể chuyển từ trạng thái “%(current)s” sang “%(target)s”.")
        % {"current": labels.get(current, current), "target": labels.get(target, target)},
        code="invalid_transition",
    )


def check_transition(
    *, obj: Any, to: str, allowed: dict[str, Iterable[str]], field: str = "status"
) -> str:
    """Raise unless ``obj.<field>`` may move to ``to`` by a ``{from: {to}}`` table.

    Kept for tables not yet declared as a :class:`Workflow`; return the current state.
    """
    current = getattr(obj, field)
    if to not in set(allowed.get(current, ())):
        labels = dict(obj._meta.get_field(field).choices)
        raise move_error(labels, current, to)
    return current
