"""Live virtual try-on: stand in front of your webcam, pick a garment, see yourself wearing it.

    python app.py [--share] [--server-name HOST] [--port N] [--device auto|cpu|cuda]
                  [--pose-model t|s|m|l|PATH|hf://...] [--detector rtmdet-nano|PATH|hf://...]
                  [--segmenter mediapipe-selfie|PATH|hf://...|none]
                  [--backend onnxruntime|mmpose] [--pose-checkpoint PATH|URL]
                  [--connection webrtc|stream] [--ice-servers JSON]

The same settings come from environment variables (FITTING_POSE_MODEL, FITTING_DETECTOR,
FITTING_SEGMENTER, FITTING_DEVICE, FITTING_BACKEND, FITTING_POSE_CHECKPOINT, FITTING_CONNECTION,
FITTING_ICE_SERVERS, GRADIO_SERVER_NAME, GRADIO_SERVER_PORT, GRADIO_SHARE), as on Hugging Face
Spaces. The models are loaded once, here at import, and shared by every visitor; each visitor
gets their own fitting session (streaming flag, garment, tracking) in a ``gr.State``.

The live view is WebRTC video (webapp/webrtc.py, webapp/live_view.js); the Gradio stream of
webcam pictures is the fallback, chosen in the page or taken when WebRTC cannot connect.
"""

import json
import logging
import sys

import gradio as gr

from clothes import Category, GarmentError, load_catalog
from fitting import FittingEngine, ModelUnavailableError
from webapp import (
    LiveConnections,
    SettingsError,
    Visitor,
    caption,
    garment_from_upload,
    inference_threads,
    jpeg_data_url,
    live_view,
    photo_outfit,
    read_garment_upload,
    read_photo,
    read_settings,
    thumbnail,
)

# Visitors live at once, over WebRTC or the Gradio stream. All share one inference worker;
# each also costs a core's share for decoding, drawing and encoding their video.
LIVE_VISITORS = 4
# The Gradio stream (the fallback). The browser sends a frame only when the previous one has
# come back, so frames never pile up; asking every 1/30 s (a webcam's own rate) wastes no
# frame. One visitor's stream holds a slot for at most STREAM_TIME_LIMIT_S, then they press
# Record again: long enough to try on several garments, short enough that a queue moves.
STREAM_EVERY_S = 1 / 30
STREAM_TIME_LIMIT_S = 10 * 60
# Ask the fallback's webcam for 640x480, as live_view.js does: the pose model sees 256x192
# crops, so more pixels only cost decoding, drawing and encoding time.
CAMERA = gr.WebcamOptions(
    mirror=True, constraints={"video": {"width": {"ideal": 640}, "height": {"ideal": 480}}}
)
CONNECTIONS = [("WebRTC: live video", "webrtc"), ("Gradio stream: the fallback", "stream")]
FIT_ON_START = True  # the "Fit garment" box starts ticked
FIT_CHOICES = [("Slim", "slim"), ("Regular", "regular"), ("Loose", "loose")]  # see config.FITS
TYPE_CHOICES = [(category.value, category.value) for category in Category]
AS_READ = ("as read from the photo", "")  # the photo tab's default garment type
# The frame rate and timings, and any problem in the stream, are shown this often.
READOUT_EVERY_S = 1.0
# What a handler says when the page's own session is not open yet (a busy server).
STILL_OPENING = "This page is still opening its session with the server:"
# Uploads and snapshots are files in Gradio's cache (streamed frames are not): check each
# minute, delete after ten.
CACHE_CLEANUP = (60, 10 * 60)
# Gradio 6 floats a gallery's label over its first row of thumbnails (the room it means to
# leave, a "pt-6" class, has no style): the garments' grid leaves it. And its grid has as
# many columns as a row of thumbnails fits, so that a phone shows them all, as a desktop does,
# without scrolling sideways. A caption, one line in Gradio cut short with an ellipsis, wraps
# onto a second line across the thumbnail's width. Below 768 px wide (a phone), where Gradio
# stacks a row's columns, the live view comes first, then the fallback's camera (when shown)
# and the garments, then the settings: the video and its Start button are the first thing a
# visitor sees, not the last.
PAGE_CSS = """
#garments .grid-container { padding-top: 28px;
  grid-template-columns: repeat(auto-fill, minmax(96px, 1fr)); }
#garments .caption-label { white-space: normal; max-width: none; left: var(--block-label-margin);
  line-height: 1.15; text-align: center; }
@media (max-width: 767px) {
  #live { flex-direction: column-reverse; align-items: stretch; }
  #camera, #garments { order: -1; } }
"""

if __name__ == "__main__":  # before the models load, so that their log lines show
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request otherwise
    logging.getLogger("aioice").setLevel(logging.WARNING)  # one line per ICE candidate pair

try:
    settings = read_settings(sys.argv[1:] if __name__ == "__main__" else [])
    engine = FittingEngine(
        settings.pose_model,
        settings.detector,
        settings.device,
        threads=inference_threads(),
        backend=settings.backend,
        pose_checkpoint=settings.pose_checkpoint,
        idle_worker=True,  # the video stays fluid; inference takes the CPU the frames leave
        segmenter=settings.segmenter,
    )
except (SettingsError, ModelUnavailableError, ValueError, ImportError) as error:
    if __name__ != "__main__":
        raise
    sys.exit(f"app.py: error: {error}")
catalog = load_catalog()  # tops, a dress and bottoms
tops = [garment.name for garment in catalog if not garment.category.is_bottom]
bottoms = [garment.name for garment in catalog if garment.category.is_bottom]
NO_BOTTOMS = ("none", "")
connections = LiveConnections(settings.ice_servers, LIVE_VISITORS)


# Live tab


def open_visitor(request: gr.Request):
    visitor = Visitor(engine.session(), catalog[0])
    connections.add(visitor, request.session_hash)
    return visitor, gr.HTML(token=visitor.token), visitor.readout()


def leave(request: gr.Request) -> None:
    # The tab closed: Gradio keeps its state for an hour, but the visitor's session, camera
    # connection and snapshots go now.
    if visitor := connections.leave(request.session_hash):
        visitor.close()


def close_visitor(visitor: Visitor | None) -> None:
    if visitor is not None:
        connections.remove(visitor)
        visitor.close()


async def connect(offer: dict) -> dict:
    """The page's WebRTC offer (with its visitor's token) -> the server's answer."""
    return await connections.connect(offer)


def fell_back(report: dict) -> None:
    """The page could not connect over WebRTC and switches to the Gradio stream."""
    connections.fell_back(report)


def use_stream() -> str:
    return "stream"


def choose_connection(connection: str):
    return gr.Image(visible=connection == "stream"), gr.HTML(mode=connection)


def stream_frame(frame, visitor: Visitor | None):
    if frame is None or visitor is None:  # no picture yet, or the page is still loading
        return gr.skip()
    return jpeg_data_url(visitor.process(frame))


def set_switches(visitor: Visitor | None, fitting: bool, skeleton: bool, warp: bool, fit: str):
    # Every switch's change, and the visitor's session once open, sets them all as the page
    # shows them: a busy server may open the session after they were changed.
    if visitor is not None:
        visitor.set_switches(fitting, skeleton, warp, fit)


def choose_garment(visitor: Visitor | None, selected: gr.SelectData) -> str:
    if visitor is None:
        raise gr.Error(f"{STILL_OPENING} choose the garment again in a moment.")
    visitor.choose(catalog[selected.index], selected.index)
    return visitor.readout()


def upload_garment(path: str | None, category: str | None, visitor: Visitor | None):
    """A garment photo was uploaded (``category`` None), or the user corrected its type."""
    if path is None:
        raise gr.Error("Upload a photo of your garment first.")
    if visitor is None:
        raise gr.Error(f"{STILL_OPENING} remove the photo and upload it again in a moment.")
    try:
        upload = read_garment_upload(path, category, engine.find_people)
    except GarmentError as error:
        raise gr.Error(str(error)) from None
    visitor.wear_upload(upload.garment, corrected=category is not None)
    if upload.message:
        gr.Warning(upload.message)
    preview = gr.Image(upload.preview, label=f"Read as: {upload.category.value}", visible=True)
    kind = gr.Dropdown(value=upload.category.value, visible=True)
    marked = gr.Gallery(selected_index=visitor.chosen)  # a garment taken off is not marked
    return visitor.readout(), preview, kind, marked


def read_upload(path: str | None, visitor: Visitor | None):
    return upload_garment(path, None, visitor)


def show_readout(visitor: Visitor | None) -> str:
    # Problems in the live view are told here: a stream's frames and the WebRTC track have no
    # event of their own to raise a warning in.
    if visitor is None:
        return ""
    if message := visitor.pending_warning():
        gr.Warning(message)
    return visitor.readout()


def take_snapshot(visitor: Visitor | None) -> gr.File:
    path = visitor.snapshot() if visitor is not None else None
    if path is None:
        raise gr.Error("Start the camera first: the snapshot saves the frame on screen.")
    return gr.File(str(path), visible=True)


# Photo tab (also the API endpoint /try_on)


def try_on(
    person_photo: str | None,
    garment_name: str | None,
    garment_photo: str | None,
    fit: str = "regular",
    garment_type: str = "",
    bottoms_name: str = "",
):
    """Fits a garment, or an outfit, onto the person in a photo.

    Args:
        person_photo: a photo of a person, facing the camera (JPEG, PNG or WebP).
        garment_name: one of the sample tops or the sample dress; ignored when garment_photo
            is a top or a dress.
        garment_photo: optional photo of your own garment (a shop photo or a cut-out): a top
            or a dress is worn instead of garment_name, bottoms instead of bottoms_name.
        fit: slim, regular or loose: how far the garment may stand off the body.
        garment_type: what garment_photo shows (sleeveless, short-sleeve, long-sleeve,
            outerwear, dress, trousers, shorts, skirt), when it is read wrong; empty: as
            read from the photo.
        bottoms_name: one of the sample bottoms, worn with the top; empty: none.

    Returns:
        The photo with the garment fitted onto the person.
    """
    if person_photo is None:
        raise gr.Error("Upload a photo of a person first.")
    try:
        photo = read_photo(person_photo)
        own = None
        if garment_photo is not None:
            own = garment_from_upload(garment_photo, garment_type, engine.find_people)
        outfit = photo_outfit(catalog, garment_name or tops[0], bottoms_name, own)
        fitted = engine.fit_image(photo, outfit, fit=fit)
    except ValueError as error:  # a bad upload, garment name or fit: the message says why
        raise gr.Error(str(error)) from None
    if (fitted == photo).all():
        gr.Warning("No garment fitted: no person with both shoulders visible was found.")
    return fitted


with gr.Blocks(title="Live virtual try-on", delete_cache=CACHE_CLEANUP) as demo:
    gr.Markdown(
        "# Live virtual try-on\n"
        "Start your camera, pick a garment and see yourself wearing it. Face the camera with "
        "your shoulders and hips in view."
    )
    visitor = gr.State(delete_callback=close_visitor)  # made per visitor when the page loads
    with gr.Tab("Live"), gr.Row(elem_id="live"):
        with gr.Column():
            connection = gr.Radio(
                CONNECTIONS, value=settings.connection, label="Connection", elem_id="connection"
            )
            camera = gr.Image(
                label="Camera",
                sources=["webcam"],
                streaming=True,
                type="numpy",
                webcam_options=CAMERA,
                visible=settings.connection == "stream",
                elem_id="camera",
            )
            with gr.Row():
                fit = gr.Checkbox(label="Fit garment", value=FIT_ON_START, elem_id="fit-garment")
                skeleton = gr.Checkbox(label="Show skeleton", value=False, elem_id="skeleton")
                warp = gr.Checkbox(label="Warp to body", value=True, elem_id="warp")
            fit_choice = gr.Radio(FIT_CHOICES, value="regular", label="Fit", elem_id="fit")
            gallery = gr.Gallery(
                value=[(thumbnail(g), caption(g)) for g in catalog],
                label="Click a garment: a top with bottoms, or a dress",
                columns=5,  # where PAGE_CSS is not loaded; with it, as many as fit
                height="fit-content",
                object_fit="contain",
                allow_preview=False,
                elem_id="garments",
                format="png",
                interactive=False,
            )
            garment_upload = gr.File(
                label="Or upload a photo of your own garment (bottoms go with the top)",
                file_types=["image"],
                height=150,
                elem_id="garment-upload",
            )
            with gr.Row():
                garment_preview = gr.Image(
                    label="Your garment, as read",
                    format="png",
                    interactive=False,
                    height=240,
                    visible=False,
                    elem_id="garment-preview",
                )
                garment_type = gr.Dropdown(
                    TYPE_CHOICES,
                    label="Its type: correct it if it is read wrong",
                    visible=False,
                    elem_id="garment-type",
                )
        with gr.Column():
            output = gr.HTML(
                value="",
                label="You, wearing it",
                html_template=live_view.TEMPLATE,
                css_template=live_view.CSS,
                js_on_load=live_view.JS,
                server_functions=[connect, fell_back],
                token="",  # each visitor's own, set when their page loads
                mode=settings.connection,
                rtc_config=json.dumps(connections.browser_config()),
                elem_id="fitted-output",
            )
            readout = gr.Markdown(elem_id="readout")
            snapshot_button = gr.Button("Snapshot", variant="primary")
            snapshot_file = gr.File(label="Snapshot", visible=False, elem_id="snapshot")

    with gr.Tab("Photo"), gr.Row():
        # Uploads are files, decoded by our safe decoder, whose messages say what is wrong
        # (a gr.Image input would be decoded by Gradio first, failing with no message).
        person_photo = gr.File(label="Photo of a person, facing the camera", file_types=["image"])
        with gr.Column():
            garment_name = gr.Radio(tops, value=tops[0], label="Top or dress")
            bottoms_name = gr.Radio(
                [NO_BOTTOMS, *bottoms], value="", label="Bottoms (worn with a top)"
            )
            garment_photo = gr.File(
                label="Or your own garment photo: it takes the place of the sample of its kind",
                file_types=["image"],
            )
            photo_garment_type = gr.Dropdown(
                [AS_READ, *TYPE_CHOICES], value="", label="Its type (if read wrong)"
            )
            photo_fit = gr.Radio(FIT_CHOICES, value="regular", label="Fit")
            try_on_button = gr.Button("Try it on", variant="primary")
        fitted_photo = gr.Image(label="Fitted photo", format="png", interactive=False)

    hidden = {"api_visibility": "private", "show_progress": "hidden"}
    instant = {**hidden, "queue": False}
    switches = [fit, skeleton, warp, fit_choice]
    opened = demo.load(open_visitor, None, [visitor, output, readout], **hidden)
    opened.then(set_switches, [visitor, *switches], None, **instant)
    demo.unload(leave)
    connection.change(choose_connection, [connection], [camera, output], **instant)
    output.submit(use_stream, None, [connection], **instant)  # WebRTC could not connect
    camera.stream(
        stream_frame,
        [camera, visitor],
        [output],
        stream_every=STREAM_EVERY_S,
        time_limit=STREAM_TIME_LIMIT_S,
        concurrency_limit=LIVE_VISITORS,
        **hidden,
    )
    for switch in switches:
        switch.change(set_switches, [visitor, *switches], None, **instant)
    gallery.select(choose_garment, [visitor], [readout], **hidden)
    upload_outputs = [readout, garment_preview, garment_type, gallery]
    garment_upload.upload(read_upload, [garment_upload, visitor], upload_outputs, **hidden)
    garment_type.input(
        upload_garment, [garment_upload, garment_type, visitor], upload_outputs, **hidden
    )
    gr.Timer(READOUT_EVERY_S).tick(show_readout, [visitor], [readout], **hidden)
    snapshot_button.click(take_snapshot, [visitor], [snapshot_file], **hidden)
    try_on_button.click(
        try_on,
        [person_photo, garment_name, garment_photo, photo_fit, photo_garment_type, bottoms_name],
        [fitted_photo],
        api_name="try_on",
    )


if __name__ == "__main__":
    demo.launch(
        share=settings.share,
        server_name=settings.server_name,
        server_port=settings.port,
        css=PAGE_CSS,
    )
