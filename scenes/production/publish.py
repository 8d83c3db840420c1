"""Publish: join a scene's parts (or a lecture's scenes), lay the narration on, convert to the
asked formats, write the subtitles, and rename every file into the output folder.

Files are made in a private work folder inside the output folder and renamed into place one by
one once whole, so an interrupted render never leaves a partial file under a final name and never
destroys the previous output.
"""

import tempfile
from pathlib import Path

from scenes.compute.prepare import PreparedScene, narration_track
from scenes.files import move_atomic
from scenes.production import subtitles
from scenes.production.keys import file_sha256
from scenes.production.manifest import Beat, Cue, RenderedVideo, lecture_beats
from scenes.production.worker import PartResult
from scenes.spec.timeline import Timeline


def stage_formats(
    video: RenderedVideo, movie: Path, media: Path, formats: list[str]
) -> dict[Path, str]:
    """The video in every asked format, converted from ``movie`` into ``media``: source -> name."""
    from scenes.production.video import transcode
    from scenes.speech.mux import add_audio, audio_language, read_audio_track

    staged: dict[Path, str] = {}
    sound = read_audio_track(movie) if "webm" in formats else None
    language = audio_language(movie) if sound is not None else None
    for fmt in formats:
        target = movie if fmt == "mp4" else media / f"{video.name}.{fmt}"
        if fmt == "webm" and sound is not None:
            # VP9 picture from the MP4's frames, then its narration again, as Opus.
            silent = media / f"{video.name}.silent.webm"
            transcode(movie, silent, fmt)
            add_audio(silent, sound, target, language)
        elif fmt != "mp4":
            transcode(movie, target, fmt)
        staged[target] = f"{video.name}.{fmt}"
        video.files[fmt] = f"{video.name}.{fmt}"
    return staged


def publish(video: RenderedVideo, staged: dict[Path, str], out_dir: Path) -> RenderedVideo:
    """Record each staged file's checksum, then rename it into ``out_dir``."""
    from scenes.production.video import ensure_faststart

    for path in (path for path in staged if path.suffix == ".mp4"):
        ensure_faststart(path)  # usually already: a check of the top-level boxes
    video.checksums = {name: file_sha256(path) for path, name in staged.items()}
    for source, name in staged.items():
        move_atomic(source, out_dir / name)
    return video


def spoken_language(spec) -> str:  # noqa: ANN001
    """The ISO 639-2 tag of the language ``spec`` is spoken in: a translated scene's language
    (``TinyAbsolute.de`` -> ``deu``), else the source's, from its voice (espeak-ng ``en-us`` ->
    ``eng``; the key of ``voices`` naming that voice first); ``und`` for takes, silence or an
    unknown voice.
    """
    from scenes.compute.translation import language_of
    from scenes.languages import iso639_2, voice_language

    lang = language_of(spec)
    voice = getattr(spec, "voice", None)
    if lang is None and voice is not None:
        named = [key for key, name in (voice.voices or {}).items() if name == voice.voice]
        model = getattr(voice, "model", None)
        lang = (
            named[0] if named else voice_language(voice.engine, voice.voice, model and str(model))
        )
    return iso639_2(lang)


def shared_line(spec) -> tuple[float, float] | None:  # noqa: ANN001
    """The number line a lecture gives ``spec`` (``observations.line``), if any."""
    line = getattr(getattr(spec, "observations", None), "line", None)
    return (float(line[0]), float(line[1])) if line is not None else None


def publish_scene(
    prepared: PreparedScene,
    parts: list[PartResult],
    key: str,
    out_dir: Path,
    formats: list[str],
    work_dir: Path,
) -> RenderedVideo:
    """Join a scene's ``parts`` (in order) and move its files into ``out_dir``; record key and
    checksums.
    """
    from scenes.production.video import concatenate, probe

    spec = prepared.spec
    last = parts[-1]
    media = Path(tempfile.mkdtemp(prefix=f"{spec.scene}-", dir=work_dir))
    if len(parts) == 1:
        movie = Path(last.movie)
    else:
        movie = media / f"{spec.scene}.mp4"
        concatenate([Path(p.movie) for p in parts], movie)
    if prepared.speech:
        # The parts were drawn silent; the narration is laid on the joined scene in one piece.
        from scenes.speech.mux import add_audio

        narrated = media / f"{spec.scene}.narrated.mp4"
        track = narration_track(prepared, probe(movie).frames / last.fps)
        add_audio(movie, track, narrated, spoken_language(spec))
        movie = narrated
    info = probe(movie)
    video = RenderedVideo(
        name=spec.scene,
        kind="scene",
        duration=info.duration,
        width=info.width,
        height=info.height,
        fps=info.fps,
        title=spec.title,
        beats=played_beats(spec.scene, prepared.timeline, last.fps),
        number_line=shared_line(spec),
    )
    staged = stage_formats(video, movie, media, formats)
    cues = [subtitles.Cue(c.start, c.end, c.text) for c in prepared.timeline.cues]
    if cues:
        srt = media / f"{spec.scene}.srt"
        srt.write_text(subtitles.format_srt(cues), encoding="utf-8")
        staged[srt] = f"{spec.scene}.srt"
        video.subtitles = f"{spec.scene}.srt"
    if last.poster:
        staged[Path(last.poster)] = f"{spec.scene}.png"
        video.poster = f"{spec.scene}.png"
    for part in parts:
        for beat_id, still in part.stills.items():
            name = f"{spec.scene}.beats/{beat_id}.png"
            staged[Path(still)] = name
            video.stills[beat_id] = name
    video.key = key
    return publish(video, staged, out_dir)


def played_beats(scene: str, timeline: Timeline, fps: float) -> list[Beat]:
    """The beats as the manifest records them, in seconds of the video: each beat ends on the
    frame the builder ended it on (``round(end * fps)``).
    """
    return [
        Beat(
            scene=scene,
            id=beat.id,
            start=round(beat.start * fps) / fps,
            end=round(beat.end * fps) / fps,
            text=beat.text,
            cues=[Cue(start=cue.start, end=cue.end, text=cue.text) for cue in beat.cues],
        )
        for beat in timeline.beats
    ]


def publish_lecture(
    name: str,
    title: str | None,
    scenes: list[RenderedVideo],
    out_dir: Path,
    formats: list[str],
    work_dir: Path,
) -> RenderedVideo:
    """Join already published scene videos into the lecture video, with joined subtitles; its
    beats and cues are recorded in lecture time.
    """
    from scenes.production.video import ChapterMark, concatenate, probe, remux

    media = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=work_dir))
    parts = [out_dir / s.files["mp4"] if "mp4" in s.files else None for s in scenes]
    if any(part is None for part in parts):
        raise ValueError("a lecture needs its scenes as mp4 to join them")
    joined = media / f"{name}.joined.mp4"
    concatenate([p for p in parts if p is not None], joined)
    # One chapter per scene, titled as the scene's card and the site's chapter list say, so a
    # player's chapter menu jumps between the scenes of a rendered lecture too.
    titles = {s.name: s.title or s.name for s in scenes}
    spans = RenderedVideo(
        name=name,
        kind="lecture",
        scenes=[s.name for s in scenes],
        scene_seconds=[s.duration for s in scenes],
    ).scene_spans()
    movie = media / f"{name}.mp4"
    remux(joined, movie, chapters=[ChapterMark(titles[n], a, b) for n, a, b in spans])
    joined.unlink()
    info = probe(movie)
    result = RenderedVideo(
        name=name,
        kind="lecture",
        duration=info.duration,
        width=info.width,
        height=info.height,
        fps=info.fps,
        title=title,
        scenes=[s.name for s in scenes],
        scene_seconds=[s.duration for s in scenes],
        beats=lecture_beats(scenes),
    )
    staged = stage_formats(result, movie, media, formats)
    cues = [
        subtitles.Cue(cue.start, cue.end, cue.text) for beat in result.beats for cue in beat.cues
    ]
    srt = media / f"{name}.srt"
    srt.write_text(subtitles.format_srt(cues), encoding="utf-8")
    staged[srt] = f"{name}.srt"
    result.subtitles = f"{name}.srt"
    return publish(result, staged, out_dir)
