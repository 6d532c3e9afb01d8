// The live view (a gr.HTML component; Gradio runs this once, with `element`, `props`,
// `server`, `trigger` and `watch` defined). Two ways to show the fitted camera:
//
// - WebRTC (props.mode "webrtc", the default): "Start camera" opens the webcam, sends it to
//   the server as a video track (an SDP offer through server.connect, with this visitor's
//   props.token) and plays the fitted track that comes back in the <video>.
// - The Gradio stream (props.mode "stream", the fallback): the app's webcam component streams
//   frames; each fitted frame arrives inline as this component's value (a JPEG data URL) and
//   is shown in the <img>.
//
// When WebRTC cannot connect, the reason goes to the server (server.fell_back, shown as a
// warning) and trigger('submit') asks the app to switch to the Gradio stream. A stream frame
// that arrives while the previous one is still loading waits for it (the newest waiting one
// wins), so a picture is never replaced before it was shown; the <img>'s data-frames-received
// counts the frames the stream brought.

const video = element.querySelector("video.fitted");
const picture = element.querySelector("img.fitted");
const startButton = element.querySelector("button.start");
const stopButton = element.querySelector("button.stop");
const status = element.querySelector(".status");

// 640x480 is plenty (the pose model sees 256x192 crops); a phone's front camera, the selfie one.
const CAMERA = {
  video: { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 30 }, facingMode: "user" },
};
const ICE_GATHERING_MS = 3000; // at most this long gathering candidates (STUN/TURN answers)
const CONNECT_TIMEOUT_MS = 15000; // no media flowing by then: fall back to the Gradio stream
const TOKEN_WAIT_MS = 60000; // how long Start camera waits for the page's visitor token
const RATE_EVERY_MS = 1000;

let peer = null;
let camera = null;
let shown = 0; // frames shown since the last rate update
let waiting = null; // the newest stream frame not shown yet
let loading = false; // the <img> is loading a frame

function say(text) {
  status.textContent = text;
}

function webrtc() {
  return props.mode !== "stream";
}

// The stream's <img> shows once it has a frame (before, a browser draws its alt text over a
// broken-image icon): until then the empty <video> holds its place.
function showView() {
  const streamed = !webrtc() && picture.hasAttribute("src");
  video.hidden = streamed;
  picture.hidden = !streamed;
}

function showMode() {
  showView();
  startButton.hidden = !webrtc() || peer !== null;
  stopButton.hidden = !webrtc() || peer === null;
  if (webrtc()) {
    if (peer === null) say("Press Start camera: your webcam goes to the server and comes back fitted.");
  } else {
    hangUp();
    say("Gradio stream: start the Camera and press Record.");
  }
}

function hangUp() {
  if (peer !== null) peer.close();
  if (camera !== null) camera.getTracks().forEach((track) => track.stop());
  peer = null;
  camera = null;
  video.srcObject = null;
  startButton.hidden = !webrtc();
  stopButton.hidden = true;
}

function gathered(connection) {
  return new Promise((resolve) => {
    if (connection.iceGatheringState === "complete") return resolve();
    const done = () => connection.iceGatheringState === "complete" && resolve();
    connection.addEventListener("icegatheringstatechange", done);
    setTimeout(resolve, ICE_GATHERING_MS); // go with the candidates found so far
  });
}

// This visitor's token, which the app's load event sets. A busy server may answer that event
// only after Start camera was pressed: the offer then waits for it, as the page would have
// to be reloaded if it went without.
async function visitorToken() {
  const deadline = performance.now() + TOKEN_WAIT_MS;
  if (!props.token) say("Waiting for the server to open this page's session…");
  while (!props.token && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return props.token;
}

async function fallBack(reason) {
  hangUp();
  await server.fell_back({ token: props.token, reason: reason });
  trigger("submit");
}

async function start() {
  startButton.hidden = true;
  stopButton.hidden = false;
  say("Opening the camera…");
  try {
    camera = await navigator.mediaDevices.getUserMedia(CAMERA);
  } catch (error) {
    hangUp();
    say(`The camera could not be opened (${error.name}): allow this page to use it, and ` +
        "close other apps that use it.");
    return;
  }
  const connection = new RTCPeerConnection(JSON.parse(props.rtc_config || "{}"));
  peer = connection;
  camera.getTracks().forEach((track) => connection.addTrack(track, camera));
  connection.addEventListener("track", (event) => {
    video.srcObject = new MediaStream([event.track]);
  });
  connection.addEventListener("connectionstatechange", () => {
    if (connection !== peer) return;
    if (connection.connectionState === "connected") say("Live");
    if (connection.connectionState === "failed") fallBack("the WebRTC connection failed");
  });
  const token = await visitorToken();
  if (connection !== peer) return; // stopped meanwhile
  if (!token) {
    hangUp();
    say(`The server did not open this page's session in ${TOKEN_WAIT_MS / 1000} s: reload ` +
        "the page, or try again when the server is less busy.");
    return;
  }
  say("Connecting…");
  await connection.setLocalDescription(await connection.createOffer());
  await gathered(connection);
  const answer = await server.connect({
    token: token,
    sdp: connection.localDescription.sdp,
    type: connection.localDescription.type,
    camera_fps: camera.getVideoTracks()[0].getSettings().frameRate || null,
  });
  if (connection !== peer) return; // stopped meanwhile
  if (answer.error) {
    hangUp();
    say(answer.error);
    return;
  }
  await connection.setRemoteDescription(answer);
  setTimeout(() => {
    if (connection === peer && connection.connectionState !== "connected") {
      fallBack(`no WebRTC connection after ${CONNECT_TIMEOUT_MS / 1000} s (a firewall, or ` +
               "no TURN server configured for a remote server)");
    }
  }, CONNECT_TIMEOUT_MS);
}

function showWaiting() {
  loading = waiting !== null;
  if (loading) picture.src = waiting;
  waiting = null;
}

function countShown() {
  shown += 1;
  video.requestVideoFrameCallback(countShown);
}

startButton.addEventListener("click", start);
window.addEventListener("pagehide", hangUp); // the server learns at once that we left
stopButton.addEventListener("click", () => {
  hangUp();
  say("Stopped. Press Start camera to go live again.");
});
picture.addEventListener("load", () => {
  shown += 1;
  showView();
  showWaiting();
});
picture.addEventListener("error", showWaiting);
video.requestVideoFrameCallback(countShown);
setInterval(() => {
  const live = webrtc() ? peer !== null && peer.connectionState === "connected" : !picture.hidden;
  if (live && shown > 0) say(`${webrtc() ? "Live" : "Gradio stream"} · ${shown} frames shown per second`);
  shown = 0;
}, RATE_EVERY_MS);
watch("value", () => {
  if (typeof props.value !== "string" || !props.value.startsWith("data:image/")) return;
  picture.dataset.framesReceived = Number(picture.dataset.framesReceived || 0) + 1;
  waiting = props.value;
  if (!loading) showWaiting();
});
watch("mode", showMode);
showMode();
