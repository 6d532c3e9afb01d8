"""The WebRTC live path without a browser: aiortc peers on this machine, stand-in models.

A test peer plays the browser: it sends a synthetic camera (a plain green room with a person
the stand-in pose model always finds) and receives what the server sends back. The fitted
track, the visitor's switches, the connection's lifetime and the latest-frame-wins rule are
checked on what arrives.
"""

import asyncio
import fractions
import time

import av
import numpy as np
import pytest
from aiortc import MediaStreamTrack, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError

from fitting import FittingEngine
from tests.synthetic import person, tshirt
from webapp import IceServer, LiveConnections, Visitor
from webapp.webrtc import BUSY, EXPIRED, FittedTrack

BACKGROUND = (90, 200, 90)
RED = (220, 30, 30)
CLOCK = fractions.Fraction(1, 90000)


class StubDetector:
    def __call__(self, image):
        return np.array([[100, 50, 540, 470]], np.float32), np.array([0.9], np.float32)


class StubPose:
    """Finds one person, centred (so the mirrored camera shows them in the same place)."""

    def __call__(self, image, boxes):
        kp = np.repeat(person(center=(320, 150), shoulder_width=120)[None], len(boxes), axis=0)
        return kp[..., :2], kp[..., 2]


class Camera(MediaStreamTrack):
    """A camera at ``fps`` showing the plain room; frame i has pts i * 3000 (90 kHz)."""

    kind = "video"

    def __init__(self, fps: float = 30.0, frames: int | None = None):
        super().__init__()
        self.fps, self.frames, self.sent = fps, frames, 0
        self.picture = np.full((480, 640, 3), BACKGROUND, np.uint8)

    async def recv(self) -> av.VideoFrame:
        if self.frames is not None and self.sent >= self.frames:
            self.stop()
            raise MediaStreamError
        await asyncio.sleep(1 / self.fps)
        frame = av.VideoFrame.from_ndarray(self.picture, format="rgb24")
        frame.pts, frame.time_base = self.sent * 3000, CLOCK
        self.sent += 1
        return frame


def colour_share(image, colour) -> float:
    return float((np.abs(image.astype(int) - colour).sum(axis=2) < 60).mean())


@pytest.fixture
def engine():
    with FittingEngine(StubPose(), StubDetector(), async_inference=False) as eng:
        yield eng


@pytest.fixture
def visitor(engine):
    visitor = Visitor(engine.session(), tshirt(color=RED, stripes=False))
    visitor.set_fitting(True)
    yield visitor
    visitor.close()


async def call(connections: LiveConnections, token: str, camera: MediaStreamTrack):
    """A browser's side of a connection: offer, answer, and the track that comes back."""
    browser = RTCPeerConnection()
    browser.addTrack(camera)
    received: asyncio.Future = asyncio.get_running_loop().create_future()
    browser.on("track", lambda track: received.done() or received.set_result(track))
    await browser.setLocalDescription(await browser.createOffer())
    offer = {"token": token, "sdp": browser.localDescription.sdp, "type": "offer"}
    answer = await connections.connect(offer)
    assert "error" not in answer, answer
    await browser.setRemoteDescription(RTCSessionDescription(**answer))
    return browser, await asyncio.wait_for(received, 10)


async def pictures(track, count: int) -> list[np.ndarray]:
    return [(await asyncio.wait_for(track.recv(), 10)).to_ndarray(format="rgb24") for _ in
            range(count)]  # fmt: skip


def test_the_camera_comes_back_fitted_and_raw_as_the_switch_says(visitor):
    async def scenario():
        connections = LiveConnections()
        connections.add(visitor)
        browser, fitted = await call(connections, visitor.token, Camera())
        try:
            shares = [colour_share(p, RED) for p in await pictures(fitted, 15)]
            assert shares[-1] > 0.05  # the red tee (VP8 blurs its edges a little)
            visitor.set_fitting(False)
            await pictures(fitted, 5)  # frames already on their way
            raw = await pictures(fitted, 5)
            assert max(colour_share(p, RED) for p in raw) < 0.002
            assert colour_share(raw[-1], BACKGROUND) > 0.95
            assert connections.live() == 1
        finally:
            await browser.close()

    asyncio.run(scenario())
    assert visitor.fps() > 0 and "fps" in visitor.readout()


def test_an_unknown_token_and_a_full_server_are_refused_with_a_message(engine, visitor):
    async def scenario():
        connections = LiveConnections(limit=1)
        assert await connections.connect({"token": "nobody", "sdp": "", "type": "offer"}) == {
            "error": EXPIRED
        }
        connections.add(visitor)
        browser, _ = await call(connections, visitor.token, Camera())
        other = Visitor(engine.session(), tshirt())
        connections.add(other)
        refused = await connections.connect({"token": other.token, "sdp": "", "type": "offer"})
        assert refused == {"error": BUSY.format(count=1)}
        await browser.close()
        other.close()

    asyncio.run(scenario())


def test_a_visitor_leaving_closes_their_connection(visitor):
    async def scenario():
        connections = LiveConnections()
        connections.add(visitor)
        browser, fitted = await call(connections, visitor.token, Camera())
        await pictures(fitted, 2)
        assert connections.live() == 1
        connections.remove(visitor)  # the tab closed: Gradio deletes the visitor's state
        assert connections.live() == 0
        with pytest.raises(MediaStreamError):  # the server hung up: the fitted video ends
            await pictures(fitted, 100)
        await browser.close()
        again = await connections.connect({"token": visitor.token, "sdp": "", "type": "offer"})
        assert again == {"error": EXPIRED}

    asyncio.run(scenario())


def test_a_failed_connection_is_told_to_the_visitor(visitor):
    connections = LiveConnections()
    connections.add(visitor)
    connections.fell_back({"token": visitor.token, "reason": "no WebRTC connection after 15 s"})
    connections.fell_back({"token": "someone else", "reason": "ignored"})
    message = visitor.pending_warning()
    assert "could not connect (no WebRTC connection after 15 s)" in message
    assert "Gradio stream" in message


def test_a_slow_fit_drops_frames_instead_of_queueing_them(visitor, monkeypatch):
    """The newest camera frame wins: with fitting slower than the camera, frames are skipped
    and what comes back is never more than one fit behind the camera."""
    fit_s = 0.1  # three camera frames at 30 fps
    process = visitor.process

    def slow(frame):
        time.sleep(fit_s)
        return process(frame)

    monkeypatch.setattr(visitor, "process", slow)

    async def scenario():
        camera = Camera(fps=30.0)
        track = FittedTrack(camera, visitor)
        pts = []
        start = time.perf_counter()
        for _ in range(8):
            pts.append((await track.recv()).pts)
        elapsed = time.perf_counter() - start
        track.stop()
        frames_sent = camera.sent
        behind = frames_sent - 1 - pts[-1] // 3000
        return pts, frames_sent, elapsed, behind

    pts, sent, elapsed, behind = asyncio.run(scenario())
    assert len(set(pts)) == 8 and pts == sorted(pts)
    assert sent > 8 + 10  # most camera frames were dropped, not queued
    assert behind <= 1 + round(fit_s * 30)  # never more than one fit behind the camera
    assert "saturated" in visitor.readout()  # and the visitor is told


def test_ice_servers_reach_the_browser_as_rtc_configuration():
    turn = IceServer(("turn:turn.example.com:3478",), "user", "secret")
    stun = IceServer(("stun:stun.example.com:3478",))
    assert LiveConnections([stun, turn]).browser_config() == {
        "iceServers": [
            {"urls": ["stun:stun.example.com:3478"]},
            {"urls": ["turn:turn.example.com:3478"], "username": "user", "credential": "secret"},
        ]
    }
    assert LiveConnections().browser_config() == {"iceServers": []}
