"""What the services raise when they refuse. `message` is shown to the person
who asked, as is; `code` is for API clients."""


class WorkflowError(Exception):
    """A step the rules do not allow; `message` is shown to the user as is."""

    def __init__(self, message: str, *, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


class TransitionRejected(WorkflowError):
    """The claim is not in a state, or not complete enough, for this step."""


class NotPermitted(WorkflowError):
    """This user may not take this step (role, or the two-person rule)."""


class StaleVersion(WorkflowError):
    """The object changed since the user read it; their change would overwrite another."""


class ContentLocked(TransitionRejected):
    """The content cannot change in the claim's current state (in review,
    published, retracted, merged), or the record is on the public record."""
