"""Keep Python's cycle collector from freezing the window while the clinician types."""

from __future__ import annotations

import gc


def freeze_startup_objects() -> None:
    """Leave everything alive after start-up out of the cycle collector's full passes.

    A full collection walks every tracked object and holds every thread while it does. With Qt,
    SQLAlchemy and the clinic loaded that is over 100,000 objects, 50-150 ms on a 2-core laptop
    (bench/run.py caught one in the middle of typing). The modules, mappers and widgets alive at
    this point live as long as the app does; later full passes walk only what came after.
    """
    gc.collect()  # nothing already unreachable is kept forever
    gc.freeze()
