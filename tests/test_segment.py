"""The person segmentation model: a loader that reads each export's layout from its graph,
the model zoo's download and offline rules, the fallback when there is no model, and the real
model on the shared photos and video."""

import json
import logging
import threading

import cv2
import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper

from fitting import FittingEngine, weights
from fitting.config import FitConfig
from fitting.engine import SEGMENTER_FAILED, SEGMENTER_MISSING
from fitting.pipeline import person_region
from fitting.segment import PersonSegmenter, shrink
from fitting.silhouette import Silhouette
from fitting.weights import ModelUnavailableError, ZooModel, resolve_model
from tests.synthetic import person, tshirt

CFG = FitConfig()
CORNER = 0.1  # the photos' corners, this share of their sides, show the backdrop alone


@pytest.fixture(scope="module")
def model_path(shared):
    return shared / "models" / "selfie-segmentation.onnx"


@pytest.fixture(scope="module")
def photo(shared):
    """A VITON-HD person photo and her keypoints."""
    name = "vitonhd_idm/00034_00.jpg"
    table = json.loads((shared / "data" / "persons" / "keypoints.json").read_text())["data"]
    bgr = cv2.imread(str(shared / "data" / "persons" / name))
    kp = np.array([p["keypoints"] for p in table[name]["people"]], np.float32)
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), kp


def relaid(source, target, *, nchw_in=False, logits=False, softmax=False, nchw_out=False):
    """A copy of the MediaPipe model with another input layout, raw logits, a two-channel
    softmax output or a channels-first output, and new names: the same network."""
    model = onnx.load(str(source))
    graph = model.graph
    old_in, old_out = graph.input[0].name, graph.output[0].name
    nodes = list(graph.node)
    if logits or softmax:  # the network without its final Sigmoid: logits
        sigmoid = next(n for n in nodes if n.output[0] == old_out)
        nodes.remove(sigmoid)
        old_out = sigmoid.input[0]
    head = []
    if nchw_in:
        head.append(helper.make_node("Transpose", ["image"], [old_in], perm=[0, 2, 3, 1]))
    else:
        head.append(helper.make_node("Identity", ["image"], [old_in]))
    tail, out, channels = [], old_out, 1
    if softmax:  # (background, person) = softmax(0, logit) over the last axis
        tail.append(helper.make_node("Mul", [out, "zero"], ["zeros"]))
        tail.append(helper.make_node("Concat", ["zeros", out], ["pair"], axis=-1))
        tail.append(helper.make_node("Softmax", ["pair"], ["scores"], axis=-1))
        out, channels = "scores", 2
        graph.initializer.append(helper.make_tensor("zero", TensorProto.FLOAT, [], [0.0]))
    if nchw_out:
        tail.append(helper.make_node("Transpose", [out], ["mask"], perm=[0, 3, 1, 2]))
        shape = [1, channels, 256, 256]
    else:
        tail.append(helper.make_node("Identity", [out], ["mask"]))
        shape = [1, 256, 256, channels]
    in_shape = [1, 3, 256, 256] if nchw_in else [1, 256, 256, 3]
    new = helper.make_graph(
        head + nodes + tail,
        "relaid",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, in_shape)],
        [helper.make_tensor_value_info("mask", TensorProto.FLOAT, shape)],
        list(graph.initializer),
    )
    onnx.save(helper.make_model(new, opset_imports=model.opset_import), str(target))
    return target


@pytest.mark.parametrize(
    "layout",
    [
        {"nchw_in": True},
        {"logits": True},
        {"softmax": True},
        {"nchw_out": True},
        {"nchw_in": True, "softmax": True, "nchw_out": True},
    ],
    ids=lambda layout: "+".join(layout),
)
def test_every_layout_of_the_model_gives_the_same_silhouette(model_path, photo, tmp_path, layout):
    image, kp = photo
    region = person_region(kp[0], image.shape, CFG)
    reference = PersonSegmenter(model_path, "cpu")(image, region)
    other = PersonSegmenter(relaid(model_path, tmp_path / "m.onnx", **layout), "cpu")
    assert other.channels_last == (not layout.get("nchw_in", False))
    assert other.probability == (not layout.get("logits", False))
    silhouette = other(image, region)
    assert silhouette.box == reference.box
    difference = np.abs(silhouette.probability.astype(int) - reference.probability)
    assert difference.max() <= 2  # a probability of 255 levels: rounding only


@pytest.mark.parametrize("factor", [1.7, 4.0, 8.0])
def test_the_model_s_input_counts_every_pixel_of_the_region(factor):
    # A line every 4th column: read at a few points of each 4 (plain bilinear at 4x), the
    # shrunk picture would miss them all or catch them all; counted, it is a quarter as bright.
    size = (256, 192)
    region = np.zeros((round(192 * factor), round(256 * factor), 3), np.uint8)
    region[:, ::4] = 255
    small = shrink(region, size)
    assert small.shape == (192, 256, 3)
    assert abs(small.mean() - 255 / 4) < 4


def test_a_model_that_is_no_segmentation_model_is_refused(shared):
    with pytest.raises(ValueError, match="is not a person segmentation model: expected an"):
        PersonSegmenter(shared / "models" / "rtmpose-t-random-weights.onnx", "cpu")


def test_the_zoo_model_is_downloaded_once_and_offline_says_where_to_put_it(
    model_path, tmp_path, monkeypatch
):
    monkeypatch.setenv("FITTING_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("FITTING_OFFLINE", raising=False)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    model = ZooModel("MediaPipe Selfie Segmentation (test)", model_path.as_uri(), None, "s.onnx")
    monkeypatch.setitem(weights.ZOO_MODELS, "mediapipe-selfie", model)
    path = resolve_model("mediapipe-selfie")
    assert path == tmp_path / "cache" / "s.onnx"
    assert path.read_bytes() == model_path.read_bytes()
    path.unlink()
    monkeypatch.setenv("FITTING_OFFLINE", "1")
    with pytest.raises(ModelUnavailableError) as excinfo:
        resolve_model("mediapipe-selfie")
    message = str(excinfo.value)
    assert "is not cached at" in message and "s.onnx" in message
    assert model_path.as_uri() in message and "--segmenter" in message


class Nobody:
    def __call__(self, *args):
        return np.zeros((0, 4), np.float32), np.zeros(0, np.float32)


def test_without_a_model_the_fit_follows_the_keypoints_and_says_so(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        engine = FittingEngine(Nobody(), Nobody(), segmenter=tmp_path / "missing.onnx")
    assert engine.models.segmenter is None
    assert "keypoints only" in engine.segmentation_note
    assert "segmentation off" in caplog.text and "missing.onnx" in caplog.text
    engine.close()
    off = FittingEngine(Nobody(), Nobody(), segmenter="none")
    assert off.models.segmenter is None and "body outline off" in off.segmentation_note
    off.close()
    image = np.full((480, 640, 3), 90, np.uint8)
    with FittingEngine(Nobody(), Nobody(), segmenter=None) as plain:
        fitted = plain.fit_image(image, tshirt(), keypoints=person(center=(320, 150)))
    assert (fitted != image).any()  # fitted all the same, by the keypoints


def test_a_corrupt_model_file_or_a_failing_model_leaves_the_fit_to_the_keypoints(tmp_path, caplog):
    corrupt = tmp_path / "corrupt.onnx"
    corrupt.write_bytes(b"not a model")
    with (
        caplog.at_level(logging.WARNING),
        FittingEngine(Nobody(), Nobody(), segmenter=corrupt) as engine,
    ):
        assert engine.models.segmenter is None
        assert engine.session().note == SEGMENTER_MISSING
    assert "corrupt.onnx" in caplog.text

    calls = []

    def failing(image, region):
        calls.append(region)
        raise RuntimeError("CUDA out of memory")

    caplog.clear()
    image = np.full((480, 640, 3), 90, np.uint8)
    kp = person(center=(320, 150))
    with (
        caplog.at_level(logging.WARNING),
        FittingEngine(Nobody(), Nobody(), segmenter=failing) as engine,
    ):
        assert engine.session().note is None
        for _ in range(3):
            fitted = engine.fit_image(image, tshirt(), keypoints=kp)
            assert (fitted != image).any()  # fitted all the same, by the keypoints
        assert len(calls) == 1  # tried once, then off for good
        assert engine.session().note == SEGMENTER_FAILED
    warnings = [r for r in caplog.records if "segmentation off" in r.getMessage()]
    assert len(warnings) == 1 and "CUDA out of memory" in warnings[0].getMessage()


class WholeRegion:
    """A segmenter that sees a person in all of every region it is given, and remembers them."""

    def __init__(self):
        self.regions, self.called = [], threading.Condition()

    def __call__(self, image, region):
        with self.called:
            self.regions.append(region)
            self.called.notify_all()
        x0, y0, x1, y1 = region
        return Silhouette(region, np.full((y1 - y0, x1 - x0), 255, np.uint8))


class PoseBeside:
    """Finds one person in every box; says each time whether the segmenter ran on its frame
    while it ran (it waits up to a second for that)."""

    def __init__(self, segmenter: WholeRegion):
        self.keypoints, self.segmenter, self.segmented_meanwhile = person(), segmenter, []

    def __call__(self, image, boxes):
        frame_number = len(self.segmented_meanwhile) + 1
        with self.segmenter.called:
            self.segmented_meanwhile.append(
                self.segmenter.called.wait_for(
                    lambda: len(self.segmenter.regions) >= frame_number, timeout=1.0
                )
            )
        kp = np.repeat(self.keypoints[None], len(boxes), axis=0)
        return kp[..., :2], kp[..., 2]


GREY = np.full((480, 640, 3), 90, np.uint8)


def streamed(pose, detector, segmenter, config: FitConfig, frames: int):
    """A sync engine with these models streams ``frames`` GREY frames, fitting a tee: the
    session's people and whether its last fit followed an outline."""
    with FittingEngine(
        pose, detector, async_inference=False, config=config, segmenter=segmenter
    ) as engine:
        session = engine.session()
        session.set_garment(tshirt())
        session.start_streaming()
        for _ in range(frames):
            session.process_frame(GREY)
        return session.people, session.outlined


def test_while_people_are_tracked_the_segmenter_runs_beside_the_pose_model():
    """The segmenter need not wait for the new keypoints: it segments the tracked people's
    regions while the pose model runs, and while the detector runs too when it looks for
    newcomers (on the first frame nobody is tracked yet)."""
    detected = []

    def detector(image):
        detected.append(True)
        return np.array([[100, 50, 540, 470]], np.float32), np.array([0.9], np.float32)

    segmenter = WholeRegion()
    pose = PoseBeside(segmenter)
    config = FitConfig(detect_every=2)
    _, outlined = streamed(pose, detector, segmenter, config, frames=4)
    assert outlined
    assert len(detected) == 2  # the first frame and the third
    assert pose.segmented_meanwhile == [False, True, True, True]
    assert segmenter.regions == [person_region(pose.keypoints, GREY.shape, config)] * 4


def test_a_newcomer_found_while_others_are_tracked_is_segmented_too():
    """The detector finds a second person on its second run: the tracked person's region was
    segmented beside it, so everyone is segmented again once the keypoints are known."""
    near, far = person(center=(220, 150)), person(center=(500, 120), shoulder_width=60)
    box_near, box_far = [40, 0, 400, 470], [420, 40, 600, 330]

    runs = []

    def detector(image):
        runs.append(True)
        boxes = [box_near] if len(runs) == 1 else [box_near, box_far]
        return np.array(boxes, np.float32), np.full(len(boxes), 0.9, np.float32)

    def pose(image, boxes):
        kp = np.stack([near if box[0] + box[2] < 2 * 410 else far for box in boxes])  # by x
        return kp[..., :2], kp[..., 2]

    segmenter = WholeRegion()
    config = FitConfig(detect_every=2)
    people, _ = streamed(pose, detector, segmenter, config, frames=3)
    assert len(people) == 2
    near_region, far_region = (person_region(kp, GREY.shape, config) for kp in (near, far))
    # 1: nobody tracked, after the pose; 2: beside; 3: beside, then both (farthest first)
    assert segmenter.regions == [near_region] * 3 + [far_region, near_region]


def test_the_real_model_finds_the_people_of_the_shared_photos(shared, model_path):
    """On every person photo the silhouette covers the person's torso (it is trusted) and
    none of the backdrop in the photo's corners."""
    segmenter = PersonSegmenter(model_path, "cpu")
    persons = shared / "data" / "persons"
    for table, folder in (("keypoints.json", ""), ("fitdit_keypoints.json", "fitdit/")):
        for name, entry in json.loads((persons / table).read_text())["data"].items():
            image = cv2.cvtColor(cv2.imread(str(persons / (folder + name))), cv2.COLOR_BGR2RGB)
            kp = np.array([p["keypoints"] for p in entry["people"]], np.float32)
            silhouette = segmenter(image, person_region(kp[0], image.shape, CFG))
            [outline] = silhouette.split(kp, CFG.keypoint_score)
            assert outline.trusted, name
            full = np.zeros(image.shape[:2], bool)
            bx0, by0, bx1, by1 = silhouette.box
            full[by0:by1, bx0:bx1] = silhouette.mask
            h, w = full.shape
            ch, cw = round(CORNER * h), round(CORNER * w)
            corners = [full[:ch, :cw], full[:ch, -cw:], full[-ch:, :cw], full[-ch:, -cw:]]
            assert max(c.mean() for c in corners) < 0.01, name  # the backdrop stays backdrop


def test_the_real_model_follows_her_through_the_video(shared, model_path):
    segmenter = PersonSegmenter(model_path, "cpu")
    video = shared / "data" / "video"
    frames = json.loads((video / "webcam_ntu_640x480_keypoints.json").read_text())["data"]
    capture = cv2.VideoCapture(str(video / "webcam_ntu_640x480.mp4"))
    checked = trusted = 0
    for index, entry in enumerate(frames["frames"]):
        ok, bgr = capture.read()
        assert ok
        if index % 10:
            continue
        kp = np.array([p["keypoints"] for p in entry["people"]], np.float32)[:1]
        image = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
        outline = segmenter(image, person_region(kp[0], image.shape, CFG)).split(kp, 0.3)[0]
        checked, trusted = checked + 1, trusted + outline.trusted
    assert checked >= 10 and trusted == checked


def test_the_real_model_s_outline_of_someone_standing_still_holds_still(model_path, photo):
    """A still photo at a webcam's size, with a camera's fresh noise in every frame: the
    model's own outline flips pixels at its edge from one frame to the next; steadied
    (Silhouette.steadied, as a video's tracker does) it flips under half as many (a quarter
    or so on each shared person photo)."""
    segmenter = PersonSegmenter(model_path, "cpu")
    image, kp = photo
    scale = 480 / image.shape[0]
    image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    region = person_region(kp[0] * (scale, scale, 1), image.shape, CFG)
    noise = np.random.default_rng(0)
    raw, steady, steadied = [], [], None
    for _ in range(10):
        frame = np.clip(image + noise.normal(0, 3, image.shape), 0, 255).astype(np.uint8)
        silhouette = segmenter(frame, region)
        steadied = silhouette.steadied(steadied, CFG.silhouette_smoothing)
        raw.append(silhouette.mask)
        steady.append(steadied.mask)

    def flips(masks):
        return np.mean([(a ^ b).sum() for a, b in zip(masks[2:-1], masks[3:], strict=True)])

    assert flips(raw) > 20  # the model's own outline does flicker
    assert flips(steady) < 0.5 * flips(raw)
