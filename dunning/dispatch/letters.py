"""The letters of a batch being sent: handed to the drawing (documents.drawing.RenderPool) in chunks of
STREAM_CHUNK as the batch composes its reminders, and taken one by one as their messages are built, so that
composing, drawing and sending overlap."""

from __future__ import annotations

from dunning.documents import drawing
from dunning.errors import BadInput

STREAM_CHUNK = 8  # letters handed to the drawing at a time: sending starts after the first chunk


class Letters:
    """Each reminder's letter, by reminder id."""

    def __init__(self, pool: drawing.RenderPool) -> None:
        self.pool = pool
        self.pending: list[tuple[int, str]] = []  # (reminder, letter HTML) not handed over yet
        self.chunk_of: dict[int, tuple[int, int]] = {}  # reminder -> (chunk, place in it)
        self.taken: dict[int, list[bytes] | Exception] = {}  # chunk -> its PDFs, or why it could not be drawn

    def add(self, reminder_id: int, html: str) -> None:
        self.pending.append((reminder_id, html))
        if len(self.pending) >= STREAM_CHUNK:
            self.flush()

    def flush(self) -> None:
        """Hand what was added to the drawing."""
        if self.pending:
            chunk = self.pool.submit([html for _, html in self.pending])
            self.chunk_of.update({rid: (chunk, i) for i, (rid, _) in enumerate(self.pending)})
            self.pending = []

    def of(self, reminder_id: int) -> bytes:
        """Its letter's PDF; BadInput for each reminder of a chunk that could not be drawn (it alone fails)."""
        chunk, index = self.chunk_of[reminder_id]
        if chunk not in self.taken:
            try:
                self.taken[chunk] = self.pool.take(chunk)
            except Exception as exc:  # noqa: BLE001 - raised below, for each reminder of the chunk
                self.taken[chunk] = exc
        drawn = self.taken[chunk]
        if isinstance(drawn, Exception):
            raise BadInput(f"its letter could not be drawn ({drawn}); send it again") from drawn
        return drawn[index]
