"""The look of every scene: dark slides, loss blue, density green, derivative orange."""

BACKGROUND = "#0f1117"
TEXT = "#ece6e2"
MUTED = "#8b8f98"
THETA = "#ffd15c"
NET_PULL = "#ffd15c"
OBSERVATION = "#ece6e2"

# Reference markers get colours of their own, away from the three curve colours.
REFERENCE_COLORS = {
    "mean": "#c792ea",
    "median": "#5ce1e6",
    "huber": "#ffd15c",
    "trimmed_mean": "#f78fb3",
    "quantile": "#ffd15c",
    "epsilon": "#ffd15c",
    "numeric": "#ffd15c",
}
REFERENCE_LABELS = {
    "mean": "mean",
    "median": "median",
    "huber": "Huber",
    "trimmed_mean": "trimmed mean",
    "quantile": "quantile",
    "epsilon": "minimisers",
    "numeric": "minimiser",
}

TITLE_SIZE = 40
FORMULA_SIZE = 34
LABEL_SIZE = 26
SMALL_SIZE = 20
AXIS_NUMBER_SIZE = 26
CAPTION_SIZE = 24
FONT = "DejaVu Sans"
TARGET_LABELS = {
    "mean": "mean",
    "median": "median",
    "huber": "Huber estimate",
    "quantile": "quantile",
    "epsilon": "set of minimisers",
    "numeric": "minimum reached downhill",
}
