"""The live view over WebRTC: the webcam reaches the server as a video track, and the fitted
video goes back as one.

The page (live_view.js) sends an SDP offer with its visitor's token through a Gradio server
function; :meth:`LiveConnections.connect` answers it with an aiortc peer connection whose
outgoing track is the visitor's fitted camera. One connection per visitor: a new offer
replaces the old one, and the visitor leaving (the tab closed, the page reloaded) closes it.

Frames are fitted latest-wins: a reader keeps only the newest camera frame, so a slow frame
never builds a queue; the camera's frames that arrive meanwhile are counted (the readout says
when the server cannot keep up) and dropped. The fitting itself runs in a worker thread, so
the event loop that carries every visitor's packets never waits for it.

ICE servers (STUN/TURN) are settings: without them a connection works on localhost and a LAN;
across the internet (a Hugging Face Space, --share) it needs a TURN server.
"""

import asyncio
import fractions
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import av
import cv2
import numpy as np
from aiortc import (
    MediaStreamTrack,
    RTCConfiguration,
    RTCIceServer,
    RTCPeerConnection,
    RTCSessionDescription,
)
from aiortc.mediastreams import MediaStreamError

from .live import Visitor

log = logging.getLogger(__name__)

MIRROR = True  # the camera is shown as a mirror, as people expect of a selfie view

EXPIRED = "This page's session has ended: reload the page to start the camera again."
BUSY = (
    "The server is busy: {count} visitors are live already. Try again in a minute, or choose "
    "the Gradio stream connection."
)
FELL_BACK = (
    "The live video could not connect ({reason}), so the page switched to the Gradio stream: "
    "start the Camera and press Record. Beyond localhost, WebRTC needs a TURN server (see "
    "--ice-servers)."
)
BAD_OFFER = "The browser's connection offer could not be read ({error}); reload the page."


@dataclass(frozen=True)
class IceServer:
    """A STUN or TURN server, as a browser's RTCIceServer names it."""

    urls: tuple[str, ...]
    username: str | None = None
    credential: str | None = None

    def for_aiortc(self) -> RTCIceServer:
        return RTCIceServer(list(self.urls), self.username, self.credential)

    def for_browser(self) -> dict:
        server = {"urls": list(self.urls)}
        if self.username is not None:
            server |= {"username": self.username, "credential": self.credential or ""}
        return server


class FittedTrack(MediaStreamTrack):
    """The visitor's camera track, fitted frame by frame: the track the page is sent."""

    kind = "video"

    def __init__(self, camera: MediaStreamTrack, visitor: Visitor, on_end=lambda: None):
        """``on_end`` is called when the camera track ends (the page hung up)."""
        super().__init__()
        self.visitor = visitor
        self._on_end = on_end
        self._newest: av.VideoFrame | None = None
        self._arrived = asyncio.Event()
        self._reader = asyncio.ensure_future(self._read(camera))

    async def _read(self, camera: MediaStreamTrack) -> None:
        """Keeps the camera's newest frame; an older one not fitted yet is dropped."""
        try:
            while True:
                self._newest = await camera.recv()
                self.visitor.count_camera_frame()
                self._arrived.set()
        except MediaStreamError:  # the camera track ended: so does this one
            self._arrived.set()
            self._on_end()

    async def recv(self) -> av.VideoFrame:
        await self._arrived.wait()
        self._arrived.clear()
        frame, self._newest = self._newest, None
        if frame is None:
            self.stop()
            raise MediaStreamError
        fitted = await asyncio.to_thread(self._fit, frame)
        out = av.VideoFrame.from_ndarray(fitted, format="rgb24")
        out.pts, out.time_base = frame.pts, frame.time_base or fractions.Fraction(1, 90000)
        return out

    def _fit(self, frame: av.VideoFrame) -> np.ndarray:
        rgb = frame.to_ndarray(format="rgb24")
        return self.visitor.process(cv2.flip(rgb, 1) if MIRROR else rgb)

    def stop(self) -> None:
        super().stop()
        self._reader.cancel()


class LiveConnections:
    """Every visitor's WebRTC connection, found by the visitor's token."""

    def __init__(self, ice_servers: Sequence[IceServer] = (), limit: int = 4):
        self.ice_servers = tuple(ice_servers)
        self.limit = limit
        self._lock = threading.Lock()
        self._visitors: dict[str, Visitor] = {}
        self._sessions: dict[str, Visitor] = {}  # the same visitors by Gradio session
        self._peers: dict[str, tuple[RTCPeerConnection, asyncio.AbstractEventLoop]] = {}

    def browser_config(self) -> dict:
        """The RTCConfiguration the page's peer connection uses (the same ICE servers)."""
        return {"iceServers": [server.for_browser() for server in self.ice_servers]}

    def add(self, visitor: Visitor, session: str | None = None) -> None:
        """A visitor opened the page (Gradio's ``session`` hash): their token may connect."""
        with self._lock:
            self._visitors[visitor.token] = visitor
            if session is not None:
                self._sessions[session] = visitor

    def remove(self, visitor: Visitor) -> None:
        """The visitor left: their connection, if any, closes."""
        with self._lock:
            self._visitors.pop(visitor.token, None)
            self._sessions = {s: v for s, v in self._sessions.items() if v is not visitor}
        self.close(visitor.token)

    def leave(self, session: str | None) -> Visitor | None:
        """The page of Gradio ``session`` closed: its visitor is removed and returned."""
        with self._lock:
            visitor = self._sessions.pop(session, None) if session else None
        if visitor is not None:
            self.remove(visitor)
        return visitor

    def live(self) -> int:
        with self._lock:
            return len(self._peers)

    async def connect(self, offer: dict) -> dict:
        """Answers a page's offer ``{"token", "sdp", "type"}`` (and ``"camera_fps"``, the
        frame rate the camera takes) with ``{"sdp", "type"}``, or ``{"error": message}`` for
        the page to show."""
        token = str(offer.get("token", ""))
        with self._lock:
            visitor = self._visitors.get(token)
            others = len(self._peers) - (token in self._peers)
        if visitor is None:
            return {"error": EXPIRED}
        if others >= self.limit:
            return {"error": BUSY.format(count=others)}
        self.close(token)  # a reconnecting page: its old connection goes
        visitor.set_camera_fps(offer.get("camera_fps"))
        config = RTCConfiguration(iceServers=[s.for_aiortc() for s in self.ice_servers])
        peer = RTCPeerConnection(config)
        with self._lock:
            self._peers[token] = (peer, asyncio.get_running_loop())

        @peer.on("track")
        def on_track(track: MediaStreamTrack) -> None:
            if track.kind == "video":
                peer.addTrack(FittedTrack(track, visitor, on_end=lambda: self.close(token)))

        @peer.on("connectionstatechange")
        async def on_state() -> None:
            log.info("live connection of visitor %s…: %s", token[:6], peer.connectionState)
            if peer.connectionState in ("failed", "closed"):
                self._forget(token, peer)
                await peer.close()

        try:
            await peer.setRemoteDescription(RTCSessionDescription(offer["sdp"], offer["type"]))
            await peer.setLocalDescription(await peer.createAnswer())
        except (KeyError, ValueError) as error:
            self._forget(token, peer)
            await peer.close()
            return {"error": BAD_OFFER.format(error=error)}
        return {"sdp": peer.localDescription.sdp, "type": peer.localDescription.type}

    def fell_back(self, report: dict) -> None:
        """The page ``{"token", "reason"}`` could not connect and switches to the Gradio
        stream: its visitor is told why."""
        with self._lock:
            visitor = self._visitors.get(str(report.get("token", "")))
        if visitor is not None:
            reason = str(report.get("reason", "unknown"))[:200]
            visitor.warn(FELL_BACK.format(reason=reason))

    def close(self, token: str) -> None:
        """Closes the connection of ``token``, if any, from whichever thread calls."""
        with self._lock:
            peer, loop = self._peers.pop(token, (None, None))
        if peer is None:
            return
        if loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            loop.create_task(peer.close())
        else:
            asyncio.run_coroutine_threadsafe(peer.close(), loop)

    def _forget(self, token: str, peer: RTCPeerConnection) -> None:
        with self._lock:
            if self._peers.get(token, (None,))[0] is peer:
                del self._peers[token]
