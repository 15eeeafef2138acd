"""Downloading a package from the links of an index entry.

Argos treats an entry's ``links`` as mirrors: it skips links that are not
http(s) (the index has held ``ipfs://``, ``ifps://`` and scheme-less links),
tries each with retries and sends its own User-Agent (the package host
answered 403 without one).  mlcorpus does the same and adds what a slow or
hostile server needs: a stall timeout per read, an overall deadline per
download, a size cap (the index's declared size when given, else
:data:`DEFAULT_MAX_BYTES`), exponential backoff between attempts, a check
that the body is as long as ``Content-Length`` says, and a byte progress bar.
``file:`` links are accepted only from a local index file (``--index
./index.json``), never from an index fetched over the network.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from mlcorpus.errors import MlcorpusError

#: Argos's own User-Agent (argostranslate.networking.USER_AGENT)
USER_AGENT = "ArgosTranslate"
#: largest download without a declared size (the biggest Argos packages are ~400 MB)
DEFAULT_MAX_BYTES = 1 << 30
#: seconds a read may wait for the next bytes before the attempt is abandoned
STALL_TIMEOUT_S = 30.0
#: seconds one package download may take, all mirrors and retries included
DEADLINE_S = 1800.0
#: slowest average transfer accepted once MIN_RATE_GRACE_S have passed: a
#: server dripping a few bytes every few seconds is given up on in seconds,
#: not after the overall deadline
MIN_BYTES_PER_S = 10_000
MIN_RATE_GRACE_S = 30.0
#: retries per link after the first attempt (Argos: 3)
RETRIES = 3
#: first backoff pause; doubles each retry
BACKOFF_S = 1.0

#: progress callback: (bytes so far, total bytes or None)
Progress = Callable[[int, int | None], None]


@dataclass(frozen=True)
class DownloadPolicy:
    """Limits of one download; tests shrink them to run in seconds."""

    max_bytes: int = DEFAULT_MAX_BYTES
    stall_timeout_s: float = STALL_TIMEOUT_S
    deadline_s: float = DEADLINE_S
    retries: int = RETRIES
    backoff_s: float = BACKOFF_S
    min_bytes_per_s: float = MIN_BYTES_PER_S
    min_rate_grace_s: float = MIN_RATE_GRACE_S


class DownloadError(MlcorpusError):
    """No mirror delivered the package."""


class _Fatal(Exception):
    """An attempt failure that retrying the same link cannot fix."""


def usable_links(links: object, *, allow_file: bool = False) -> tuple[list[str], list[str]]:
    """Split an entry's ``links`` into usable URLs and reasons for the rest.

    A single string is taken as one link (the index has held
    ``"links": "http://..."``, which iterates as characters otherwise).
    """
    if isinstance(links, str):
        links = [links]
    if not isinstance(links, list | tuple):
        return [], [f"'links' is {type(links).__name__}, not a list"]
    usable, skipped = [], []
    schemes = {"http", "https"} | ({"file"} if allow_file else set())
    for link in links:
        if not isinstance(link, str) or not link.strip():
            skipped.append(f"{link!r}: not a URL")
            continue
        parsed = urllib.parse.urlsplit(link.strip())
        if parsed.scheme.lower() not in schemes:
            skipped.append(f"{link}: unsupported scheme {parsed.scheme or '(none)'!r}")
        elif parsed.scheme.lower() != "file" and not parsed.netloc:
            skipped.append(f"{link}: no host")
        else:
            usable.append(link.strip())
    return usable, skipped


def _attempt(
    url: str, dest: Path, policy: DownloadPolicy, deadline: float, progress: Progress | None
) -> None:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    timeout = max(0.1, min(policy.stall_timeout_s, deadline - time.monotonic()))
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        if 400 <= exc.code < 500 and exc.code not in (408, 429):
            raise _Fatal(f"HTTP {exc.code} {exc.reason}") from None
        raise
    with response:
        declared = response.headers.get("Content-Length")
        total = int(declared) if declared and declared.isdigit() else None
        if total is not None and total > policy.max_bytes:
            raise _Fatal(f"{total} bytes, over the {policy.max_bytes}-byte limit")
        done = 0
        # read1: return what has arrived instead of blocking for a full chunk,
        # so a server dripping a few bytes at a time still meets the deadline
        read = getattr(response, "read1", response.read)
        started = time.monotonic()
        with open(dest, "wb") as out:
            while True:
                now = time.monotonic()
                if now > deadline:
                    raise TimeoutError(f"deadline of {policy.deadline_s:.0f} s passed")
                elapsed = now - started
                if elapsed > policy.min_rate_grace_s and done < policy.min_bytes_per_s * elapsed:
                    raise ConnectionError(
                        f"too slow: {done} bytes in {elapsed:.0f} s "
                        f"(under {policy.min_bytes_per_s:.0f} bytes/s)"
                    )
                chunk = read(1 << 16)
                if not chunk:
                    break
                done += len(chunk)
                if done > policy.max_bytes:
                    raise _Fatal(f"more than {policy.max_bytes} bytes")
                out.write(chunk)
                if progress:
                    progress(done, total)
        if total is not None and done < total:
            raise ConnectionError(f"truncated: got {done} of {total} bytes")


def download(
    links: Iterable[str],
    dest: Path,
    *,
    policy: DownloadPolicy | None = None,
    progress: Progress | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> str:
    """Fetch the first mirror in *links* that delivers into *dest*; return its URL.

    Each link gets ``1 + retries`` attempts with doubling pauses, all within
    one overall deadline; errors of every attempt end up in the message.
    """
    policy = policy or DownloadPolicy()
    links = list(links)
    if not links:
        raise DownloadError("download failed: the index entry has no http(s) link")
    deadline = time.monotonic() + policy.deadline_s
    errors: list[str] = []
    for url in links:
        pause = policy.backoff_s
        for attempt in range(policy.retries + 1):
            if time.monotonic() >= deadline:
                errors.append(f"{url}: deadline of {policy.deadline_s:.0f} s passed")
                raise DownloadError("download failed: " + "; ".join(errors))
            try:
                _attempt(url, dest, policy, deadline, progress)
                return url
            except _Fatal as exc:
                errors.append(f"{url}: {exc}")
                break
            except (urllib.error.URLError, OSError, ValueError) as exc:
                reason = getattr(exc, "reason", None) or exc
                if isinstance(reason, TimeoutError | OSError) and "timed out" in str(reason):
                    reason = f"no data for {policy.stall_timeout_s:g} s"
                errors.append(f"{url} (attempt {attempt + 1}): {reason}")
                if attempt < policy.retries:
                    sleep(min(pause, max(0.0, deadline - time.monotonic())))
                    pause *= 2
    raise DownloadError("download failed: " + "; ".join(errors))
