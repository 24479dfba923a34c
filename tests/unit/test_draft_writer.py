"""The background draft writer: newest draft wins, nothing is lost, refusals are dropped."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from facilitator.domain.errors import DomainError
from facilitator.services.draft_writer import DraftKey, DraftWriter, SaveDraft
from facilitator.services.session_sheet import NoteDraft

WAIT = 5.0  # generous upper bound for anything that should happen at once
FAST_RETRY = 0.01
AUTHOR = uuid.uuid4()


def new_key() -> DraftKey:
    return DraftKey(block_id=uuid.uuid4(), participant_id=uuid.uuid4())


def draft(text: str) -> NoteDraft:
    return NoteDraft(template="GIRP", fields={"goal": text})


@dataclass
class Call:
    key: DraftKey
    author_id: uuid.UUID | None
    draft: NoteDraft
    thread: int
    saved: bool


@dataclass
class FakeStore:
    """A save function that records every call; `behaviour` decides each call's fate.

    `behaviour(attempt, key)` runs inside the save, attempts counted from 0 over all keys; it
    may block or raise, and returning means the save worked.
    """

    behaviour: Callable[[int, DraftKey], None] = lambda attempt, key: None
    calls: list[Call] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(
        self,
        block_id: uuid.UUID,
        participant_id: uuid.UUID,
        author_id: uuid.UUID | None,
        note: NoteDraft,
    ) -> uuid.UUID:
        key = DraftKey(block_id, participant_id)
        with self.lock:
            attempt = len(self.calls)
        saved = False
        try:
            self.behaviour(attempt, key)
            saved = True
            return uuid.uuid4()
        finally:
            with self.lock:
                self.calls.append(Call(key, author_id, note, threading.get_ident(), saved))

    def saved(self, key: DraftKey | None = None) -> list[NoteDraft]:
        with self.lock:
            return [c.draft for c in self.calls if c.saved and (key is None or c.key == key)]

    def attempts(self) -> int:
        with self.lock:
            return len(self.calls)


@dataclass
class Events:
    """What the writer reported through on_saved and on_failed."""

    saved: list[DraftKey] = field(default_factory=list)
    failed: list[tuple[DraftKey, Exception]] = field(default_factory=list)

    def on_saved(self, key: DraftKey) -> None:
        self.saved.append(key)

    def on_failed(self, key: DraftKey, error: Exception) -> None:
        self.failed.append((key, error))


WriterFactory = Callable[..., DraftWriter]


@pytest.fixture
def make_writer() -> Iterator[WriterFactory]:
    """DraftWriter(...) that is closed after the test, so no thread outlives it."""
    writers: list[DraftWriter] = []

    def make(save: SaveDraft, **options: Any) -> DraftWriter:
        writer = DraftWriter(save, **options)
        writers.append(writer)
        return writer

    yield make
    for writer in writers:
        writer.close(timeout=0.1)


def wait_until(condition: Callable[[], bool], timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.002)


def test_drafts_are_saved_on_another_thread(make_writer: WriterFactory) -> None:
    store, events = FakeStore(), Events()
    writer = make_writer(store, on_saved=events.on_saved)
    key = new_key()
    writer.submit(key, AUTHOR, draft("first"))
    assert writer.flush(timeout=WAIT)
    assert [(c.key, c.author_id, c.draft) for c in store.calls] == [(key, AUTHOR, draft("first"))]
    assert store.calls[0].thread != threading.get_ident()
    assert events.saved == [key]
    assert writer.pending() == set()


def test_flush_with_nothing_submitted_is_true_at_once(make_writer: WriterFactory) -> None:
    writer = make_writer(FakeStore())
    started = time.monotonic()
    assert writer.flush(timeout=WAIT)
    assert time.monotonic() - started < 1.0


def test_flush_returns_true_once_every_note_is_written(make_writer: WriterFactory) -> None:
    store = FakeStore(behaviour=lambda attempt, key: time.sleep(0.005))
    writer = make_writer(store)
    keys = [new_key() for _ in range(5)]
    for round_ in range(3):
        for key in keys:
            writer.submit(key, AUTHOR, draft(f"{key.participant_id} v{round_}"))
    assert writer.flush(timeout=WAIT)
    assert writer.pending() == set()
    for key in keys:
        assert store.saved(key)[-1] == draft(f"{key.participant_id} v2")


def test_quick_submits_for_one_note_coalesce(make_writer: WriterFactory) -> None:
    entered, release = threading.Event(), threading.Event()

    def hold_the_first(attempt: int, key: DraftKey) -> None:
        if attempt == 0:
            entered.set()
            assert release.wait(WAIT)

    store = FakeStore(behaviour=hold_the_first)
    writer = make_writer(store)
    key = new_key()
    writer.submit(key, AUTHOR, draft("v0"))
    assert entered.wait(WAIT)  # the first save is under way and held
    for version in range(1, 100):
        writer.submit(key, AUTHOR, draft(f"v{version}"))
    assert writer.pending() == {key}
    release.set()
    assert writer.flush(timeout=WAIT)
    assert store.saved(key) == [draft("v0"), draft("v99")]  # 100 submits, two saves
    assert store.attempts() == 2


def test_a_passing_failure_is_retried_until_it_succeeds(make_writer: WriterFactory) -> None:
    def fail_three_times(attempt: int, key: DraftKey) -> None:
        if attempt < 3:
            raise OSError(28, "No space left on device")

    store, events = FakeStore(behaviour=fail_three_times), Events()
    writer = make_writer(
        store, on_saved=events.on_saved, on_failed=events.on_failed, retry_seconds=FAST_RETRY
    )
    key = new_key()
    writer.submit(key, AUTHOR, draft("keep me"))
    assert writer.flush(timeout=WAIT)
    assert store.attempts() == 4
    assert [c.draft for c in store.calls] == [draft("keep me")] * 4
    assert store.saved(key) == [draft("keep me")]
    assert [k for k, _ in events.failed] == [key] * 3
    assert all(isinstance(error, OSError) for _, error in events.failed)
    assert events.saved == [key]


def test_a_failing_draft_stays_pending_until_it_is_written(make_writer: WriterFactory) -> None:
    disk_full = threading.Event()
    disk_full.set()

    def fail_while_disk_full(attempt: int, key: DraftKey) -> None:
        if disk_full.is_set():
            raise OSError(28, "No space left on device")

    store, events = FakeStore(behaviour=fail_while_disk_full), Events()
    writer = make_writer(store, on_failed=events.on_failed, retry_seconds=0.05)
    key = new_key()
    writer.submit(key, AUTHOR, draft("precious"))
    wait_until(lambda: store.attempts() >= 2)  # retried, not given up
    wait_until(lambda: writer.pending() == {key})  # kept in memory between attempts
    assert not writer.flush(timeout=0.1)  # not written yet, and flush says so
    assert store.saved() == []
    assert events.failed
    disk_full.clear()
    assert writer.flush(timeout=WAIT)
    assert store.saved(key) == [draft("precious")]
    assert writer.pending() == set()


def test_a_newer_submit_during_a_failing_save_wins(make_writer: WriterFactory) -> None:
    entered, release = threading.Event(), threading.Event()

    def first_save_fails_after_a_while(attempt: int, key: DraftKey) -> None:
        if attempt == 0:
            entered.set()
            assert release.wait(WAIT)
            raise OSError(5, "Input/output error")

    store = FakeStore(behaviour=first_save_fails_after_a_while)
    writer = make_writer(store, retry_seconds=FAST_RETRY)
    key = new_key()
    writer.submit(key, AUTHOR, draft("old"))
    assert entered.wait(WAIT)
    writer.submit(key, AUTHOR, draft("new"))
    release.set()
    assert writer.flush(timeout=WAIT)
    time.sleep(0.05)  # several retry periods: nothing else may be written
    assert [c.draft for c in store.calls] == [draft("old"), draft("new")]
    assert store.saved(key) == [draft("new")]  # the stale draft never overwrites the newer


def test_a_refused_draft_is_reported_and_dropped(make_writer: WriterFactory) -> None:
    refusal = DomainError("This note is signed and cannot change; add an addendum.")

    def refuse(attempt: int, key: DraftKey) -> None:
        raise refusal

    store, events = FakeStore(behaviour=refuse), Events()
    writer = make_writer(
        store, on_saved=events.on_saved, on_failed=events.on_failed, retry_seconds=FAST_RETRY
    )
    key = new_key()
    writer.submit(key, AUTHOR, draft("too late"))
    assert writer.flush(timeout=WAIT)  # nothing left to write
    time.sleep(0.05)  # several retry periods
    assert store.attempts() == 1  # not retried
    assert events.failed == [(key, refusal)]
    assert events.saved == []
    assert writer.pending() == set()


def test_a_refusal_does_not_hold_up_other_notes(make_writer: WriterFactory) -> None:
    signed, other = new_key(), new_key()

    def refuse_the_signed_note(attempt: int, key: DraftKey) -> None:
        if key == signed:
            raise DomainError("This note is signed and cannot change; add an addendum.")

    store = FakeStore(behaviour=refuse_the_signed_note)
    writer = make_writer(store, retry_seconds=FAST_RETRY)
    writer.submit(signed, AUTHOR, draft("signed note"))
    writer.submit(other, AUTHOR, draft("other note"))
    assert writer.flush(timeout=WAIT)
    assert store.saved(signed) == []
    assert store.saved(other) == [draft("other note")]


def test_close_writes_pending_drafts_and_returns_true(make_writer: WriterFactory) -> None:
    store = FakeStore(behaviour=lambda attempt, key: time.sleep(0.01))
    writer = make_writer(store)
    keys = [new_key() for _ in range(4)]
    for key in keys:
        writer.submit(key, AUTHOR, draft(f"last words {key.participant_id}"))
    assert writer.close(timeout=WAIT)
    for key in keys:
        assert store.saved(key) == [draft(f"last words {key.participant_id}")]
    assert writer.pending() == set()


def test_close_with_a_permanent_failure_returns_false_in_time(make_writer: WriterFactory) -> None:
    def always_fail(attempt: int, key: DraftKey) -> None:
        raise OSError(13, "Permission denied")

    store = FakeStore(behaviour=always_fail)
    writer = make_writer(store, retry_seconds=FAST_RETRY)
    key = new_key()
    writer.submit(key, AUTHOR, draft("unwritable"))
    started = time.monotonic()
    assert writer.close(timeout=0.3) is False
    assert time.monotonic() - started < 1.5
    assert writer.pending() == {key}  # still held, so the caller can warn before quitting
    attempts = store.attempts()
    assert attempts >= 1
    time.sleep(0.05)
    assert store.attempts() == attempts  # the thread has stopped trying


def test_submit_after_close_is_refused(make_writer: WriterFactory) -> None:
    store = FakeStore()
    writer = make_writer(store)
    assert writer.close(timeout=WAIT)
    with pytest.raises(RuntimeError, match="closed"):
        writer.submit(new_key(), AUTHOR, draft("after hours"))
    assert store.attempts() == 0


def test_a_failing_listener_does_not_stop_the_writer() -> None:
    saved: list[str] = []

    def save(
        block: uuid.UUID, person: uuid.UUID, author: uuid.UUID | None, draft: NoteDraft
    ) -> uuid.UUID:
        saved.append(draft.fields["goal"])
        return uuid.uuid4()

    def broken_listener(_key: DraftKey) -> None:
        raise RuntimeError("a listener bug")

    writer = DraftWriter(save, on_saved=broken_listener)
    key = DraftKey(uuid.uuid4(), uuid.uuid4())
    writer.submit(key, None, NoteDraft("GIRP", {"goal": "first"}))
    assert writer.flush(5)
    writer.submit(key, None, NoteDraft("GIRP", {"goal": "second"}))
    assert writer.close(5)
    assert saved == ["first", "second"]
