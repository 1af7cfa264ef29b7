"""The outbox: a folder of .eml files, one per message, the transport used when no SMTP server is set up.

Each message is written as `<folder>/<Message-ID>.eml` (the id without its angle brackets, every character
other than letters, digits, dot, dash and underscore written as "_"): to a temporary file in the folder first,
flushed to disk, then linked to its name, which fails if the name exists. So a reader never sees half a
message, an error leaves no file behind, and a second delivery of the same Message-ID (the same reminder) is
refused with PermanentFailure instead of overwriting the first: the outbox delivers each reminder once.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Sequence
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path
from types import TracebackType

from dunning.errors import BadInput
from dunning.mail.transport import Delivery, PermanentFailure, TemporaryFailure, check_envelope

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def file_name(message_id: str) -> str:
    """The outbox file name of a Message-ID: "<R-1.RF18@example.com>" -> "R-1.RF18_example.com.eml"."""
    core = _UNSAFE.sub("_", message_id.strip().strip("<>").strip())
    if not core.strip("._"):
        raise BadInput(f"Message-ID {message_id!r} gives no file name; give the message a Message-ID")
    return core + ".eml"


class OutboxTransport:
    """Writes each message to `folder` as an .eml file; every recipient counts as accepted."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.description = f"outbox {self.folder}"

    def __repr__(self) -> str:
        return f"OutboxTransport({str(self.folder)!r})"

    def __enter__(self) -> OutboxTransport:
        self._make_folder()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    def _make_folder(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise TemporaryFailure(
                f"cannot create the outbox folder {self.folder} ({exc.strerror}); "
                "choose a folder that may be written (DUNNING_OUTBOX)"
            ) from None

    def path_for(self, message: EmailMessage) -> Path:
        """Where `message` is (or would be) written."""
        message_id = message.get("Message-ID")
        if not message_id:
            raise BadInput("the message has no Message-ID; the outbox names its files by it")
        return self.folder / file_name(str(message_id))

    def send(self, message: EmailMessage, recipients: Sequence[str]) -> Delivery:
        check_envelope(message, recipients)
        target = self.path_for(message)
        if target.exists():
            raise _already(target)
        data = message.as_bytes(policy=SMTP)
        self._make_folder()
        try:
            fd, temp_name = tempfile.mkstemp(prefix=".writing-", suffix=".tmp", dir=self.folder)
        except OSError as exc:
            raise TemporaryFailure(f"cannot write in the outbox {self.folder} ({exc.strerror})") from None
        temp = Path(temp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            _publish(temp, target)
        except FileExistsError:
            raise _already(target) from None
        except OSError as exc:
            raise TemporaryFailure(
                f"cannot write {target} ({exc.strerror}); the message was not delivered to the outbox"
            ) from None
        finally:
            temp.unlink(missing_ok=True)
        return Delivery(accepted=tuple(recipients), refused={}, server_reply=f"written to {target}")


def _publish(temp: Path, target: Path) -> None:
    """Give the finished temporary file its name, never replacing a file already there."""
    try:
        os.link(temp, target)  # atomic, and fails with FileExistsError if the name is taken
    except FileExistsError:
        raise
    except OSError:
        # a file system without hard links: check, then rename (a narrow race, left to the dispatcher's lock)
        if target.exists():
            raise FileExistsError(target) from None
        os.replace(temp, target)


def _already(target: Path) -> PermanentFailure:
    return PermanentFailure(
        f"{target.name} is already in the outbox {target.parent}: this message (same Message-ID) was "
        "delivered before, so it was not written again"
    )
