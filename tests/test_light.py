"""The scene's light (fitting/light.py) and the garment in it: synthetic rooms, no models."""

import cv2
import numpy as np
import pytest

from fitting import pipeline
from fitting.config import FitConfig
from fitting.light import light_trust, scene_light
from fitting.rig import GarmentRig
from tests.synthetic import person, tshirt

WARM = (0.92, 0.76, 0.56)  # a lamp's light as a daylight-balanced camera shows white under it


def room(light=(1.0, 1.0, 1.0)) -> np.ndarray:
    """A 640x480 room under ``light`` (a gain per channel): a grey-beige wall, a white window
    (5% of the frame), a red sofa."""
    scene = np.full((480, 640, 3), (150, 140, 130), np.float32)
    scene[40:120, 40:232] = 250  # the window
    scene[300:480, 300:640] = (180, 40, 40)  # the sofa
    return np.clip(scene * np.array(light, np.float32), 0, 255).astype(np.uint8)


def test_the_scene_s_light_is_the_colour_its_white_takes():
    for light in [(1.0, 1.0, 1.0), (0.3, 0.3, 0.3), (0.15, 0.15, 0.15), WARM]:
        white = scene_light(room(light)).white
        np.testing.assert_allclose(white, 250 / 255 * np.array(light), atol=0.01)


@pytest.mark.parametrize("wall", [(90, 200, 90), (240, 230, 100), (230, 60, 60)])
def test_a_frame_whose_brightest_surface_no_light_could_tint_leaves_the_garment_as_it_is(wall):
    """A green screen, a yellow wall, a red one: the frame's brightest colour is a surface's,
    not a light's."""
    light = scene_light(np.full((480, 640, 3), wall, np.uint8))
    np.testing.assert_array_equal(light.white, 1.0)
    assert not light.grey


def test_lights_from_blue_shade_to_tungsten_are_trusted_and_other_colours_are_not():
    def trust(rgb):
        return light_trust(np.log(np.array(rgb) / 255))

    for light in [(255, 255, 255), (221, 231, 249), (230, 215, 190), (255, 176, 99)]:
        assert trust(light) == 1.0, light  # white, blue shade, a beige wall, tungsten
    for colour in [(90, 200, 90), (240, 230, 100), (230, 60, 60), (240, 150, 240)]:
        assert trust(colour) == 0.0, colour  # green, yellow, red, magenta
    assert 0 < trust((200, 230, 200)) < 1  # a pastel green wall: trusted in part


def test_a_frame_without_colour_renders_the_garment_grey():
    grey = cv2.cvtColor(cv2.cvtColor(room(), cv2.COLOR_RGB2GRAY), cv2.COLOR_GRAY2RGB)
    red = np.full((2, 2, 3), (200, 30, 30), np.uint8)
    out = scene_light(grey).render(red)
    assert out.min() == out.max() > 0


@pytest.mark.parametrize("light", [(0.3, 0.3, 0.3), WARM])
def test_exposed_a_dim_or_warm_frame_shows_the_colours_of_a_lit_one(light):
    """What the colour models of colours.py compare: in a dim room a top and the skin above
    it fall into a few dark levels; exposed, they are as far apart as in full light."""
    frame = room(light)
    exposed = scene_light(frame).expose(frame).astype(int)
    lit = room().astype(int) * 255 / 250
    assert np.abs(exposed - lit).max() <= 4


def garment_colour(image: np.ndarray, config: FitConfig) -> np.ndarray:
    """The mean colour of the garment a photo of ``image`` is dressed in, where it is opaque."""
    rig = GarmentRig(tshirt("short", color=(40, 90, 200), stripes=False))
    overlay = pipeline.dress(
        person()[None], None, pipeline.Dressing(rig), image.shape, config, frame=image
    )
    alpha = np.zeros(image.shape[:2], np.float32)
    for layer in overlay.fits[0].layers:
        x0, y0, x1, y1 = layer.box
        alpha[y0:y1, x0:x1] = np.maximum(alpha[y0:y1, x0:x1], layer.alpha)
    out = pipeline.compose(image, overlay, config)
    return np.array(cv2.mean(out, (alpha > 0.99).astype(np.uint8))[:3])


def test_the_garment_takes_the_light_of_the_frame_it_is_worn_in():
    """In a room at 0.3 of the light, or under a warm lamp, the garment is as dim, or as warm,
    as the room; ``match_light=False`` keeps its studio colours."""
    config = FitConfig(shading=0.0)  # the person's own shading aside
    lit = garment_colour(room(), config)
    for light in [(0.3, 0.3, 0.3), WARM]:
        np.testing.assert_allclose(garment_colour(room(light), config) / lit, light, atol=0.03)
    studio = FitConfig(shading=0.0, match_light=False)
    np.testing.assert_allclose(garment_colour(room((0.3, 0.3, 0.3)), studio), lit / 0.98, atol=2)
