"""Progress of a long build on stderr: a bar with articles/s and ETA on a terminal, a plain line
every N articles otherwise (logs, CI, a scheduler's job output), nothing with --quiet."""

from __future__ import annotations

import sys
import time
from typing import IO, Any

PLAIN_EVERY = 100  # articles between two plain lines
REFRESH_SECONDS = 0.2  # the bar is redrawn at most this often (no background thread)


def _clock(seconds: float | None) -> str:
    """A duration as H:MM:SS, or ? when unknown."""
    if seconds is None or seconds != seconds or seconds < 0:
        return "?"
    s = int(seconds + 0.5)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


class BuildProgress:
    """Counts articles done; shows them on ``stream`` (stderr) as a bar or as plain lines."""

    def __init__(self, total: int | None = None, *, stream: IO[str] | None = None, every: int = PLAIN_EVERY,
                 bar: bool | None = None, label: str = "kg build") -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.total = total
        self.every = max(1, every)
        self.label = label
        self.done = 0
        self.skipped = 0
        self.started = time.monotonic()
        self._next_line = self.every
        self._finished = False
        self._printed = -1  # articles done at the last plain line
        self._last_draw = 0.0
        self._bar: Any = None
        self._task: Any = None
        use_bar = bar if bar is not None else bool(getattr(self.stream, "isatty", lambda: False)())
        if use_bar:
            self._start_bar()

    def _start_bar(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._bar = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rate]} articles/s"), TextColumn("ETA"), TimeRemainingColumn(),
            TextColumn("elapsed"), TimeElapsedColumn(),
            console=Console(file=self.stream), auto_refresh=False, transient=False)
        self._task = self._bar.add_task(self.label, total=self.total, rate="?")
        self._bar.start()

    @property
    def rate(self) -> float:
        """Articles per second so far."""
        elapsed = time.monotonic() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    def eta(self) -> float | None:
        """Seconds left, from the rate so far (None when the total or the rate is unknown)."""
        if self.total is None or not self.done:
            return None
        return max(0, self.total - self.done) / self.rate if self.rate else None

    def advance(self, articles: int = 1, skipped: int = 0) -> None:
        """Count articles done (and inputs skipped) and show them."""
        self.done += articles
        self.skipped += skipped
        if self.total is not None and self.done > self.total:  # the estimate was low
            self.total = self.done
        if self._bar is not None:
            now = time.monotonic()
            self._bar.update(self._task, completed=self.done, total=self.total, rate=f"{self.rate:.1f}")
            if now - self._last_draw >= REFRESH_SECONDS:
                self._bar.refresh()
                self._last_draw = now
        elif self.done >= self._next_line:
            self._line()
            self._next_line = (self.done // self.every + 1) * self.every

    def _line(self) -> None:
        self._printed = self.done
        total = f"/{self.total}" if self.total is not None else ""
        skipped = f", {self.skipped} skipped" if self.skipped else ""
        print(f"{self.label}: {self.done}{total} articles{skipped}, {self.rate:.1f} articles/s, "
              f"ETA {_clock(self.eta())}, elapsed {_clock(time.monotonic() - self.started)}",
              file=self.stream, flush=True)

    def finish_articles(self) -> None:
        """Every article is done: the total is now known, show it."""
        self.total = self.done
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done, total=self.total, rate=f"{self.rate:.1f}")
            self._bar.refresh()
        elif self._printed != self.done:
            self._line()
        self._finished = True

    def note(self, text: str) -> None:
        """A phase of the build after the articles ("writing graph.ttl")."""
        if self._bar is not None:
            self._bar.update(self._task, description=f"{self.label}: {text}")
            self._bar.refresh()
        else:
            print(f"{self.label}: {text}", file=self.stream, flush=True)

    def close(self) -> None:
        """Stop the bar (its last state stays on screen), or print the last plain line."""
        if self._bar is None and not self._finished and self._printed != self.done:
            self._line()
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done, total=self.total or self.done,
                             rate=f"{self.rate:.1f}")
            self._bar.refresh()
            self._bar.stop()
            self._bar = None
