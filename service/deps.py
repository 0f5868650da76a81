"""Dependencies: who is calling (bearer API key or signed-in page session), what their role lets them see.

A request is authenticated by ``Authorization: Bearer <key>`` or by the session cookie set at
``/login``. Cookie-authenticated requests that change anything must also carry the session's CSRF token
in ``X-CSRF-Token`` (double submit: the pages read it from a meta tag), so another site cannot make a
signed-in browser post to the API. Bearer requests need no token: browsers never add that header.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from analyser.store import RecordRow, Store, UserRow, key_format_ok
from service.analysis import Analyses, DraftSaver
from service.config import Settings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "X-CSRF-Token"

# auto_error=False: a missing header falls through to the session cookie, then to our own 401 problem.
bearer = HTTPBearer(auto_error=False, description="An API key from `caseqa users add` (cqa_<id>_<secret>).")


class KeyCache:
    """Keys already verified, by sha256, so argon2 (deliberately slow) runs once per key, not per request.

    Entries hold the user id and a fingerprint of the key hash; every request re-reads the user, so a
    removed user's key, or a key replaced by ``rotate``, stops working at once. Bounded LRU. At most
    ``verifiers`` argon2 checks (64 MiB each) run at once, however many bad keys arrive.
    """

    def __init__(self, size: int = 1024, verifiers: int = 2) -> None:
        self._ids: OrderedDict[bytes, tuple[int, str]] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()
        self._verifying = threading.BoundedSemaphore(verifiers)

    def user(self, store: Store, key: str) -> UserRow | None:
        if not key_format_ok(key):
            return None  # no database, no argon2: the cheap pre-check
        digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).digest()
        with self._lock:
            cached = self._ids.get(digest)
        if cached is not None:
            user = store.get_user(cached[0])
            if user is not None and user.key_id == cached[1]:
                return user
        with self._verifying:
            user = store.authenticate(key)
        with self._lock:
            if user is None:
                self._ids.pop(digest, None)
            else:
                self._ids[digest] = (user.id, user.key_id)
                self._ids.move_to_end(digest)
                while len(self._ids) > self._size:
                    self._ids.popitem(last=False)
        return user


class AuthFailures:
    """Failed keys per client: after ``limit`` failures within ``window`` seconds the client gets 429
    (before any key is checked) until the oldest failure leaves the window."""

    def __init__(self, limit: int, window: float = 60.0, clients: int = 10_000) -> None:
        self.limit, self.window, self._clients = limit, window, clients
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float]:
        times = self._seen.setdefault(client, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def retry_after(self, client: str) -> int | None:
        """Seconds until ``client`` may try again, or None when it may try now."""
        now = time.monotonic()
        with self._lock:
            times = self._recent(client, now)
            if len(times) < self.limit:
                return None
            return max(1, int(times[0] + self.window - now) + 1)

    def failed(self, client: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._recent(client, now).append(now)
            self._seen.move_to_end(client)
            while len(self._seen) > self._clients:  # bounded: a flood of addresses cannot grow memory
                self._seen.popitem(last=False)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "?"


def check_not_throttled(request: Request) -> None:
    """429 when this client has failed to sign in too often lately."""
    wait = request.app.state.auth_failures.retry_after(client_address(request))
    if wait is not None:
        raise HTTPException(429, f"too many failed keys from this address: try again in {wait} s",
                            headers={"Retry-After": str(wait)})


def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def get_store(request: Request) -> Store:
    return request.app.state.store  # type: ignore[no-any-return]


def get_analyses(request: Request) -> Analyses:
    return request.app.state.analyses  # type: ignore[no-any-return]


def get_drafts(request: Request) -> DraftSaver:
    return request.app.state.drafts  # type: ignore[no-any-return]


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
AnalysesDep = Annotated[Analyses, Depends(get_analyses)]
DraftsDep = Annotated[DraftSaver, Depends(get_drafts)]


def session_user(request: Request, store: Store) -> UserRow | None:
    """The user signed in to this browser session, if any: the session must still be live in the store
    (signing out, a new key or removing the user ends it there, whatever the cookie says)."""
    session = request.scope.get("session") or {}
    sid = session.get("sid")
    if not isinstance(sid, str) or len(sid) > 100:
        return None
    return store.session_user(sid)


def csrf_token(request: Request) -> str:
    """This session's CSRF token (created on first use)."""
    session = request.session
    if not isinstance(session.get("csrf"), str):
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]  # type: ignore[no-any-return]


def check_csrf(request: Request, sent: str | None) -> None:
    """403 unless ``sent`` matches the session's token."""
    expected = (request.scope.get("session") or {}).get("csrf")
    if not (isinstance(expected, str) and sent and hmac.compare_digest(expected, sent)):
        raise HTTPException(403, "missing or wrong CSRF token: reload the page and try again")


async def current_user(
    request: Request,
    store: StoreDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> UserRow:
    """The caller: bearer API key, else the page session (with CSRF for changes). 401 otherwise."""
    cache: KeyCache = request.app.state.keys
    if credentials is not None:
        check_not_throttled(request)
        user = await _in_thread(cache.user, store, credentials.credentials)
        if user is None:
            request.app.state.auth_failures.failed(client_address(request))
            raise HTTPException(401, "the API key is not valid (or its user was removed)", headers={"WWW-Authenticate": "Bearer"})
        return user
    user = await _in_thread(session_user, request, store)
    if user is None:
        raise HTTPException(
            401, "sign in: send 'Authorization: Bearer <API key>' (keys come from `caseqa users add`)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if request.method not in SAFE_METHODS:
        check_csrf(request, request.headers.get(CSRF_HEADER))
    return user


async def _in_thread(fn: Callable[..., Any], *args: Any) -> Any:
    # Database and argon2 work must not block the event loop.
    import anyio.to_thread

    return await anyio.to_thread.run_sync(fn, *args)


UserDep = Annotated[UserRow, Depends(current_user)]


def require_roles(*roles: str) -> Callable[[UserRow], UserRow]:
    """A dependency that lets only these roles through (403 for the rest)."""

    def check(user: UserDep) -> UserRow:
        if user.role not in roles:
            raise HTTPException(403, f"this needs one of these roles: {', '.join(roles)}; you are {user.role}")
        return user

    return check


# ---- who may see which records -------------------------------------------------------------------


def visibility(user: UserRow) -> dict[str, str] | None:
    """Store filters that limit listings to what ``user`` may see; None when they may see nothing.

    Social workers see what they submitted; supervisors their team's records; auditors and admins all.
    """
    if user.role == "social_worker":
        return {"submitted_by": user.name}
    if user.role == "supervisor":
        return {"team": user.team} if user.team else None
    return {}


def can_see(user: UserRow, row: RecordRow) -> bool:
    """Whether ``user`` may see this record version."""
    limits = visibility(user)
    return limits is not None and all(getattr(row, k) == v for k, v in limits.items())


def worker_team(store: Store, worker: str) -> tuple[set[str | None], bool]:
    """The teams ``worker`` is known in: their user account's team and their records' teams; and whether
    they are known at all. Blocking (database)."""
    teams = store.worker_teams(worker)
    account = store.user_by_name(worker)
    if account is not None:
        teams.add(account.team)
    return teams, bool(teams) or account is not None


def check_worker_team(store: Store, worker: str, team: str | None) -> None:
    """403 when ``worker`` is known in a team other than ``team``: nobody files records under another
    team's worker (that would let them read the worker's supervision record). Blocking (database)."""
    teams, known = worker_team(store, worker)
    if known and teams != {team}:
        raise HTTPException(
            403, f"worker '{worker}' belongs to another team (or to more than one): records for them cannot be "
                 f"filed under {('team ' + repr(team)) if team else 'no team'}",
        )
