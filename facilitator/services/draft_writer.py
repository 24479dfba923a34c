"""Save note drafts off the caller's thread, newest version first, never dropping one."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from facilitator.domain.errors import DomainError
from facilitator.services.session_sheet import NoteDraft


@dataclass(frozen=True)
class DraftKey:
    """Which note: one participant in one block."""

    block_id: uuid.UUID
    participant_id: uuid.UUID


logger = logging.getLogger(__name__)

SaveDraft = Callable[[uuid.UUID, uuid.UUID, uuid.UUID | None, NoteDraft], uuid.UUID]


class DraftWriter:
    """A single background thread that writes the newest pending draft of each note.

    Submitting a draft replaces any older one still waiting for the same note. A save that
    fails for a passing reason (disk full, database busy) keeps the draft in memory and is
    retried; one the rules refuse (a signed note) is reported and dropped.
    """

    def __init__(
        self,
        save: SaveDraft,
        on_saved: Callable[[DraftKey], None] = lambda key: None,
        on_failed: Callable[[DraftKey, Exception], None] = lambda key, error: None,
        retry_seconds: float = 2.0,
    ) -> None:
        self._save = save
        self._on_saved = on_saved
        self._on_failed = on_failed
        self._retry_seconds = retry_seconds
        self._pending: dict[DraftKey, tuple[uuid.UUID | None, NoteDraft]] = {}
        self._busy = False
        self._closed = False
        self._condition = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="draft-writer", daemon=True)
        self._thread.start()

    def submit(self, key: DraftKey, author_id: uuid.UUID | None, draft: NoteDraft) -> None:
        with self._condition:
            if self._closed:
                raise RuntimeError("the draft writer is closed")
            self._pending[key] = (author_id, draft)
            self._condition.notify_all()

    def pending(self) -> set[DraftKey]:
        """Notes whose newest draft is not yet on disk."""
        with self._condition:
            return set(self._pending)

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every submitted draft is written; False if some could not be."""
        with self._condition:
            self._condition.notify_all()
            return self._condition.wait_for(
                lambda: not self._pending and not self._busy, timeout=timeout
            )

    def close(self, timeout: float = 10.0) -> bool:
        """Write what is pending, then stop the thread; False if drafts remain unwritten."""
        written = self.flush(timeout)
        with self._condition:
            self._closed = True
            self._condition.notify_all()
        self._thread.join(timeout)
        return written

    def _run(self) -> None:
        while True:
            with self._condition:
                self._condition.wait_for(lambda: self._pending or self._closed)
                if not self._pending:
                    return
                key = next(iter(self._pending))
                author_id, draft = self._pending.pop(key)
                self._busy = True
            retry = self._write(key, author_id, draft)
            with self._condition:
                self._busy = False
                if retry:
                    self._pending.setdefault(key, (author_id, draft))  # a newer one wins
                self._condition.notify_all()
                if retry and not self._closed:
                    self._condition.wait(self._retry_seconds)
                elif retry:
                    return

    def _write(self, key: DraftKey, author_id: uuid.UUID | None, draft: NoteDraft) -> bool:
        """Save one draft; True when it should be tried again."""
        try:
            self._save(key.block_id, key.participant_id, author_id, draft)
        except DomainError as error:
            _quietly(self._on_failed, key, error)
            return False
        except Exception as error:
            _quietly(self._on_failed, key, error)
            return True
        _quietly(self._on_saved, key)
        return False


def _quietly(callback: Callable[..., None], *args: object) -> None:
    """Run a listener; one that fails must not stop the writer that keeps drafts safe."""
    try:
        callback(*args)
    except Exception:
        logger.exception("a draft writer listener failed")
