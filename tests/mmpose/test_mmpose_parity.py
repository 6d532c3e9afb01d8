"""The engine computes what mmpose computes: three paths, the same keypoints.

On the real COCO photos and their ground-truth person boxes, for RTMPose-t and -s built from
mmpose's configs with random weights (fixed seed):

(a) mmpose's own ``inference_topdown`` (flip test off), given BGR as mmpose expects;
(b) the engine's ONNX Runtime path (``fitting.pose.RTMPose``) on the exported model, given RGB;
(c) the mmpose backend (``fitting.mmpose_backend.MMPoseRTMPose``), given RGB.

Each pair agrees within half a pixel and 1e-3 in score. Boxes are float32, as the detector
gives them: mmpose keeps the caller's dtype, so float64 boxes shift its crop by ~1e-5 px.
"""

import numpy as np
import pytest

KEYPOINT_TOLERANCE_PX = 0.5
SCORE_TOLERANCE = 1e-3
PAIRS = {"a-b": ("a", "b"), "a-c": ("a", "c"), "b-c": ("b", "c")}


def mmpose_inference_topdown(random_rtmpose, photos):
    """Path (a): keypoints (P, 17, 2) and scores (P, 17) over all people in all photos."""
    from mmpose.apis import inference_topdown, init_model

    from fitting.mmpose_backend import resolve_config

    no_flip_test = {"model": {"test_cfg": {"flip_test": False}}}
    model = init_model(
        str(resolve_config(random_rtmpose.config)),
        str(random_rtmpose.checkpoint),
        device="cpu",
        cfg_options=no_flip_test,
    )
    keypoints, scores = [], []
    for photo in photos:
        for sample in inference_topdown(model, photo.bgr, photo.boxes, bbox_format="xyxy"):
            keypoints.append(sample.pred_instances.keypoints)
            scores.append(sample.pred_instances.keypoint_scores)
    return np.concatenate(keypoints), np.concatenate(scores)


def run_on_photos(pose_estimator, photos, channels="rgb"):
    """Paths (b) and (c): the engine's call, ``pose(image, boxes)``, on every photo."""
    results = [pose_estimator(getattr(photo, channels), photo.boxes) for photo in photos]
    return np.concatenate([k for k, _ in results]), np.concatenate([s for _, s in results])


def max_differences(first, second):
    (keypoints_1, scores_1), (keypoints_2, scores_2) = first, second
    assert keypoints_1.shape == keypoints_2.shape and scores_1.shape == scores_2.shape
    return float(np.abs(keypoints_1 - keypoints_2).max()), float(np.abs(scores_1 - scores_2).max())


@pytest.fixture(scope="module")
def reference(random_rtmpose, coco_photos):
    return mmpose_inference_topdown(random_rtmpose, coco_photos)


@pytest.fixture(scope="module")
def engine(random_rtmpose):
    from fitting.pose import RTMPose

    return RTMPose(random_rtmpose.onnx, device="cpu")


def test_inference_topdown_engine_and_backend_agree(
    random_rtmpose, coco_photos, reference, engine, parity_figures
):
    from fitting.mmpose_backend import MMPoseRTMPose

    backend = MMPoseRTMPose(random_rtmpose.config, str(random_rtmpose.checkpoint), device="cpu")
    predictions = {
        "a": reference,
        "b": run_on_photos(engine, coco_photos),
        "c": run_on_photos(backend, coco_photos),
    }
    figures = {
        pair: max_differences(predictions[x], predictions[y]) for pair, (x, y) in PAIRS.items()
    }
    parity_figures[f"rtmpose-{random_rtmpose.size}"] = figures

    # Not vacuous: 12 people, keypoints spread over each box, positive SimCC maxima.
    keypoints, scores = reference
    assert keypoints.shape == (sum(len(p.boxes) for p in coco_photos), 17, 2)
    assert (scores > 0).all()
    assert np.ptp(keypoints, axis=1).min() > 5

    for pair, (keypoint_diff, score_diff) in figures.items():
        assert keypoint_diff <= KEYPOINT_TOLERANCE_PX, f"{pair}: keypoints differ by {figures}"
        assert score_diff <= SCORE_TOLERANCE, f"{pair}: scores differ by {figures}"


def test_tolerances_catch_a_swapped_colour_order(coco_photos, reference, engine):
    """The comparison has teeth: BGR where RGB is due moves random-weight RTMPose visibly."""
    keypoint_diff, score_diff = max_differences(
        reference, run_on_photos(engine, coco_photos, channels="bgr")
    )
    assert keypoint_diff > KEYPOINT_TOLERANCE_PX or score_diff > SCORE_TOLERANCE


def test_engine_crop_is_mmpose_crop_bit_for_bit(random_rtmpose, coco_photos, engine):
    """The engine's normalised crops equal those mmpose feeds its network, to float rounding."""
    import torch
    from mmpose.structures import PoseDataSample

    from fitting.mmpose_backend import build_model, test_pipeline_transform

    model = build_model(random_rtmpose.config, str(random_rtmpose.checkpoint))
    center_scale = test_pipeline_transform(model, "GetBBoxCenterScale")
    crop = test_pipeline_transform(model, "TopdownAffine")
    worst = 0.0
    for photo in coco_photos:
        tensor, _, _ = engine.preprocess(photo.rgb, photo.boxes)
        crops = [
            crop(center_scale({"img": photo.bgr, "bbox": box[None]}))["img"] for box in photo.boxes
        ]
        batch = {
            "inputs": [torch.from_numpy(c).permute(2, 0, 1) for c in crops],
            "data_samples": [PoseDataSample() for _ in crops],
        }
        with torch.no_grad():
            mmpose_tensor = model.data_preprocessor(batch)["inputs"].numpy()
        worst = max(worst, float(np.abs(tensor - mmpose_tensor).max()))
    assert worst < 1e-5, f"engine crops differ from mmpose's by up to {worst:.3g} (normalised)"
