"""Render options shared by the command line, the spec layer's defaults and the driver."""

# Name on the command line and in lecture specs -> Manim's quality preset.
QUALITIES = {
    "low": "low_quality",  # 854x480, 15 fps
    "medium": "medium_quality",  # 1280x720, 30 fps
    "high": "high_quality",  # 1920x1080, 60 fps
    "4k": "fourk_quality",  # 3840x2160, 60 fps
}
FORMATS = ("mp4", "webm", "gif")
