"""The exceptions the package raises for anything a user can fix."""


class GarmentError(ValueError):
    """The image cannot be made into a garment. The message says what to do instead."""


class NotWearableError(GarmentError):
    """The photo shows a garment the try-on cannot dress anyone in yet (bottoms).

    ``category`` is what it was read as, ``cutout`` the garment cut out of the photo (RGBA
    uint8) and ``landmarks`` its waistband, crotch and hem corners (rows: BottomPoint; None
    where it was not read as bottoms), so that a caller can show them and offer a correction.
    """

    def __init__(self, message: str, category, cutout=None, landmarks=None):
        super().__init__(message)
        self.category = category
        self.cutout = cutout
        self.landmarks = landmarks
