"""The project's tools: they measure, export and draw; the app never imports them.

python -m tools.evaluate        fit quality on ../shared's photos and video
python -m tools.bench           speed and memory of the live path
python -m tools.export          an mmpose checkpoint -> the ONNX file the engine runs
                                (in the mmpose environment)
python -m tools.make_catalog    draws the sample garments into clothes/catalog/
python -m tools.contact_sheet   garments with their outline and landmarks, into out/
"""
