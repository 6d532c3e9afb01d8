"""The exceptions the package raises for anything a user can fix."""


class GarmentError(ValueError):
    """The image cannot be made into a garment. The message says what to do instead."""
