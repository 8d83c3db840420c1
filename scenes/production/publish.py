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
    from scenes.speech.mux import add_audio, read_audio_track

    staged: dict[Path, str] = {}
    sound = read_audio_track(movie) if "webm" in formats else None
    for fmt in formats:
        target = movie if fmt == "mp4" else media / f"{video.name}.{fmt}"
        if fmt == "webm" and sound is not None:
            # VP9 picture from the MP4's frames, then its narration again, as Opus.
            silent = media / f"{video.name}.silent.webm"
            transcode(movie, silent, fmt)
            add_audio(silent, sound, target)
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
        add_audio(movie, narration_track(prepared, probe(movie).frames / last.fps), narrated)
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
    from scenes.production.video import concatenate, probe

    media = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=work_dir))
    parts = [out_dir / s.files["mp4"] if "mp4" in s.files else None for s in scenes]
    if any(part is None for part in parts):
        raise ValueError("a lecture needs its scenes as mp4 to join them")
    movie = media / f"{name}.mp4"
    concatenate([p for p in parts if p is not None], movie)
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
