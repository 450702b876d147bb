"""An item of the 待办 inbox: something waiting on a user. Apps contribute them in `todos.py`."""

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Todo:
    kind: str
    title: str
    url: str
    deadline: datetime.date | None = None
    overdue: bool = False
    key: str = ""
