"""RTMPose pre/post-processing against values computed independently of fitting/pose.py.

The reference here follows mmpose's own formulation (three-point ``cv2.getAffineTransform``
as in ``get_warp_matrix``; ``get_simcc_maximum``; ``keypoints / input_size * scale + center -
scale / 2``), written out separately so the engine's code is checked, not repeated.
"""

import json

import cv2
import numpy as np
import pytest

from fitting.pose import PoseModelSpec, RTMPose, box_to_center_scale, crop_matrix, decode_simcc

INPUT = (192, 256)


def reference_center_scale(box, padding=1.25, aspect=192 / 256):
    x1, y1, x2, y2 = box
    center = [(x1 + x2) / 2, (y1 + y2) / 2]
    w, h = (x2 - x1) * padding, (y2 - y1) * padding
    if w > h * aspect:
        h = w / aspect
    else:
        w = h * aspect
    return np.array(center), np.array([w, h])


def reference_warp(center, scale, out=INPUT):
    """mmpose's get_warp_matrix(rot=0): centre, a point half a width to the left, a third point."""
    src = np.float32([center, center + [-scale[0] / 2, 0], center + [0, -scale[0] / 2]])
    dst = np.float32(
        [[out[0] / 2, out[1] / 2], [0, out[1] / 2], [out[0] / 2, out[1] / 2 - out[0] / 2]]
    )
    return cv2.getAffineTransform(src, dst)


@pytest.mark.parametrize("box", [(10, 20, 110, 320), (0, 0, 400, 100), (50.5, 60.25, 51.5, 61.25)])
def test_center_scale_matches_mmpose(box):
    centers, scales = box_to_center_scale(np.array([box]), 1.25, 192 / 256)
    center, scale = reference_center_scale(box)
    np.testing.assert_allclose(centers[0], center, rtol=1e-6)
    np.testing.assert_allclose(scales[0], scale, rtol=1e-6)
    assert scales[0, 0] / scales[0, 1] == pytest.approx(192 / 256)


def test_crop_matrix_matches_three_point_affine():
    center, scale = np.array([321.7, 200.2]), np.array([150.0, 200.0])
    np.testing.assert_allclose(
        crop_matrix(center, scale, INPUT), reference_warp(center, scale), atol=1e-4
    )


def test_decode_simcc_takes_argmax_and_the_smaller_maximum():
    x = np.full((1, 2, 384), -1.0, np.float32)
    y = np.full((1, 2, 512), -1.0, np.float32)
    x[0, 0, 101], y[0, 0, 300] = 0.9, 0.7  # keypoint 0: bins (101, 300), score min(0.9, 0.7)
    x[0, 1, 5], y[0, 1, 7] = 0.5, -0.2  # keypoint 1: not positive -> location -1
    points, scores = decode_simcc(x, y, split_ratio=2.0)
    np.testing.assert_allclose(points[0, 0], [50.5, 150.0])
    np.testing.assert_allclose(scores[0], [0.7, -0.2], rtol=1e-6)
    np.testing.assert_allclose(points[0, 1], [-0.5, -0.5])


def test_postprocess_maps_input_pixels_back_to_the_image(shared):
    model = RTMPose(shared / "models" / "rtmpose-t-random-weights.onnx", device="cpu")
    box = np.array([[100.0, 50.0, 260.0, 410.0]])
    centers, scales = box_to_center_scale(box, 1.25, 192 / 256)
    x = np.zeros((1, 17, 384), np.float32)
    y = np.zeros((1, 17, 512), np.float32)
    x[0, :, 192], y[0, :, 256] = 1.0, 1.0  # every keypoint at the crop centre (96, 128)
    x[0, 3, 0], y[0, 3, 0] = 5.0, 5.0  # keypoint 3 at the crop's top-left corner (0, 0)
    points, _ = model.postprocess(x, y, centers, scales)
    # Independently: the inverse of the crop affine takes input pixels back to the image.
    inverse = cv2.invertAffineTransform(reference_warp(*reference_center_scale(box[0])))
    expected_centre = inverse @ [96, 128, 1]
    expected_corner = inverse @ [0, 0, 1]
    np.testing.assert_allclose(points[0, 0], expected_centre, atol=1e-3)
    np.testing.assert_allclose(points[0, 3], expected_corner, atol=1e-3)


def test_preprocess_crops_normalises_and_orders_channels(shared):
    model = RTMPose(shared / "models" / "rtmpose-t-random-weights.onnx", device="cpu")
    image = np.zeros((300, 400, 3), np.uint8)
    image[..., 0] = 200  # red only
    tensor, _, _ = model.preprocess(image, np.array([[100.0, 50.0, 200.0, 250.0]]))
    assert tensor.shape == (1, 3, 256, 192) and tensor.dtype == np.float32
    np.testing.assert_allclose(
        tensor[0, :, 128, 96],
        [(200 - 123.675) / 58.395, -116.28 / 57.12, -103.53 / 57.375],
        rtol=1e-5,
    )


def test_pose_model_runs_on_several_people(shared):
    model = RTMPose(shared / "models" / "rtmpose-s-random-weights.onnx", device="cpu")
    image = np.random.default_rng(0).integers(0, 255, (480, 640, 3), dtype=np.uint8)
    boxes = np.array([[10, 10, 200, 400], [300, 50, 500, 470]], np.float32)
    points, scores = model(image, boxes)
    assert points.shape == (2, 17, 2) and scores.shape == (2, 17)
    single, _ = model(image, boxes[1:])
    np.testing.assert_allclose(points[1], single[0])  # batching never mixes people
    empty, empty_scores = model(image, np.zeros((0, 4), np.float32))
    assert empty.shape == (0, 17, 2) and empty_scores.shape == (0, 17)


def test_sidecar_overrides_the_defaults(tmp_path, shared):
    model = tmp_path / "model.onnx"
    model.write_bytes((shared / "models" / "rtmpose-t-random-weights.onnx").read_bytes())
    meta = {"format": "rtmpose-onnx/1", "input_size": [192, 256], "mean": [1, 2, 3],
            "std": [4, 5, 6], "simcc_split_ratio": 2.0, "bbox_padding": 1.5}  # fmt: skip
    model.with_suffix(".json").write_text(json.dumps(meta))
    assert PoseModelSpec.for_model(model) == PoseModelSpec(
        (192, 256), (1, 2, 3), (4, 5, 6), 2.0, 1.5
    )
    model.with_suffix(".json").write_text(json.dumps({"format": "something-else"}))
    with pytest.raises(ValueError, match="is not an RTMPose sidecar"):
        PoseModelSpec.for_model(model)


def test_a_detector_is_refused_as_a_pose_model(shared):
    with pytest.raises(ValueError, match="is not an RTMPose COCO-17 192x256 model"):
        RTMPose(shared / "models" / "rtmdet-nano-person.onnx", device="cpu")


def test_missing_model_file_is_named():
    with pytest.raises(FileNotFoundError, match="ONNX model not found: /no/such.onnx"):
        RTMPose("/no/such.onnx")


def test_cuda_without_the_gpu_build_says_how_to_get_it(shared):
    import onnxruntime

    if "CUDAExecutionProvider" in onnxruntime.get_available_providers():
        pytest.skip("this onnxruntime has CUDA")
    with pytest.raises(ValueError, match="pip install onnxruntime-gpu"):
        RTMPose(shared / "models" / "rtmpose-t-random-weights.onnx", device="cuda")
