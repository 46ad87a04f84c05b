"""Taking access away, on every channel at once.

REST needs nothing from here: each request reads its token, session and account afresh.
A live socket is different: it was authenticated once, at connect, and stays open. So a
service that revokes something calls one of the functions below after its commit, and
the channels that keep connections open (the live channel, registered by its `init_app`)
act on it before the caller answers: nothing is delivered after the revocation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Revocation:
    """What stopped authenticating. With neither tokens nor sessions: the whole account."""

    user_id: int
    token_ids: frozenset[int] = frozenset()
    session_ids: frozenset[int] = frozenset()

    @property
    def whole_account(self) -> bool:
        return not self.token_ids and not self.session_ids


@dataclass(frozen=True)
class GroupAccessLost:
    """A person may no longer read a group (removed, banned, left)."""

    group_id: int
    user_id: int


Listener = Callable[[Revocation | GroupAccessLost], None]
_listeners: list[Listener] = []


def subscribe(listener: Listener) -> None:
    """Called at start-up by each channel that keeps authenticated connections open."""
    if listener not in _listeners:
        _listeners.append(listener)


def access_revoked(
    user_id: int, *, token_ids: Iterable[int] = (), session_ids: Iterable[int] = ()
) -> None:
    """After the commit that revoked them: the person's tokens or browser sessions stop
    working on every channel; with neither given, everything the account authenticated
    (deactivated, deleted)."""
    _tell(Revocation(user_id, frozenset(token_ids), frozenset(session_ids)))


def group_access_lost(group_id: int, user_id: int) -> None:
    """After the commit that took a person out of a group: they leave its live rooms."""
    _tell(GroupAccessLost(group_id, user_id))


def _tell(event: Revocation | GroupAccessLost) -> None:
    for listener in _listeners:
        listener(event)
