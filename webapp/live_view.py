"""The live view's page parts: the HTML, CSS and JavaScript of a ``gr.HTML`` component.

The component shows the fitted camera: a <video> fed over WebRTC (webrtc.py), or, as the
fallback, an <img> fed with the frames of the Gradio stream. live_view.js says how.
"""

from pathlib import Path

TEMPLATE = """
<div class="live-view">
  <div class="controls">
    <button class="start" type="button">Start camera</button>
    <button class="stop" type="button" hidden>Stop</button>
    <span class="status"></span>
  </div>
  <video class="fitted" autoplay playsinline muted></video>
  <img class="fitted" alt="You, wearing the garment" hidden>
</div>
"""

CSS = """
.live-view { display: flex; flex-direction: column; gap: 8px; }
.controls { display: flex; align-items: center; gap: 10px; min-height: 40px; }
.controls button {
  padding: 6px 16px; border-radius: 8px; border: none; cursor: pointer; font-weight: 600;
  background: var(--button-primary-background-fill); color: var(--button-primary-text-color);
}
.controls button.stop { background: var(--button-secondary-background-fill);
  color: var(--button-secondary-text-color); }
.status { color: var(--body-text-color-subdued); font-size: var(--text-sm); }
.fitted { width: 100%; aspect-ratio: auto 4 / 3; max-height: 75vh; object-fit: contain;
  border-radius: 8px; background: var(--background-fill-secondary); }
.fitted[hidden] { display: none; }
"""

JS = (Path(__file__).with_name("live_view.js")).read_text()
