"""Why a delivery did not go out."""


class DeliveryFailed(Exception):
    """The receiver or mail server refused or could not be reached; retried later."""

    permanent = False


class PermanentFailure(DeliveryFailed):
    """Retrying cannot help (e.g. the mail server refuses the address): failed at once."""

    permanent = True


class Skipped(Exception):
    """Nothing to send any more (e.g. the subscriber cancelled meanwhile)."""
