"""spec-v3 section 14 through ``prepare``: a scene's loudness profile reaches its narration track,
and a pause is heard as silence after the beat's speech.

Loudness is measured with pyloudnorm (ITU-R BS.1770), not with the code that set it.
"""

import numpy as np
import pyloudnorm
import pytest

from scenes.compute.prepare import narration_track, prepare_scene
from scenes.spec import parse_scene_text
from scenes.speech.base import SAMPLE_RATE

SPEC = (
    "scene: A\nloss: {name: l2}\nobservations: {values: [1, 2, 3]}\n"
    "timing: {intro: 0.3, curve: 0.3, data: 0.3, estimate: 0.3, arrival: 0.3, hold: 0.3}\n"
    "curves: {show: [loss]}\n"
    'narration: {loss: "A parabola, at 0.5.", hold: "Done, at the mean."}\n'
    "voice: {engine: espeak-ng}\npause: {loss: 1.2}\n"
)


@pytest.fixture(scope="module")
def prepared_pair(tmp_path_factory):
    # The speech goes to a cache of this module's own.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        loud = prepare_scene(parse_scene_text(SPEC))
        quiet = prepare_scene(parse_scene_text(SPEC + "audio: {loudness: atsc-a85}\n"))
    return loud, quiet


@pytest.mark.slow
def test_the_loudness_profile_reaches_the_track_and_the_pause_is_silent(prepared_pair):
    meter = pyloudnorm.Meter(SAMPLE_RATE)
    for prepared, target in zip(prepared_pair, (-16.0, -24.0), strict=True):
        track = narration_track(prepared, prepared.timeline.seconds)
        assert meter.integrated_loudness(track.astype(np.float64)) == pytest.approx(target, abs=0.5)
        beat = prepared.timeline.beat("loss")
        assert beat.pause == 1.2
        said_until = beat.start + beat.speech_seconds
        assert beat.end - said_until == pytest.approx(1.2)
        gap = track[round(said_until * SAMPLE_RATE) + 480 : round(beat.end * SAMPLE_RATE)]
        assert len(gap) > SAMPLE_RATE and np.abs(gap).max() < 1e-4
