"""The errors a user can cause or fix. The CLI prints them as one line and exits with 2."""


class VaebookError(Exception):
    """Base class: the message alone tells the user what happened and what to do."""


class UsageError(VaebookError):
    """An unknown name or a bad option value."""


class DataError(VaebookError):
    """MNIST is missing, unreadable, or cannot be downloaded."""


class TrainingDiverged(VaebookError):
    """A loss became NaN or infinite; nothing was cached."""


class MissingTool(VaebookError):
    """Something the build needs from the system is missing: a CJK font, Quarto."""


class NotCached(VaebookError):
    """A command that only reads the cache found no entry."""
