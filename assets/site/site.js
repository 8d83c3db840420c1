// The site's one script. Every page works without it; it adds captions when the folder is opened
// from disk, and chapter links that seek the lecture video. No inline code, no eval: it runs
// under a "default-src 'self'" content policy. Pages load it in <head>, without defer, so that
// it runs before the parser reaches any <track>.
"use strict";

// Opened from disk, Chromium refuses <track src> (every file is its own origin there): give each
// track its text as the data: URL the page carries for this case. The swap must happen as the
// parser inserts the track: a default track starts loading a moment later (a deferred script
// loses that race, inside iframes nearly always).
if (location.protocol === "file:") {
  const inline = (track) => {
    if (track.dataset.fileSrc && track.src !== track.dataset.fileSrc) {
      track.src = track.dataset.fileSrc;
    }
  };
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeName === "TRACK") inline(node);
        else if (node.querySelectorAll) node.querySelectorAll("track").forEach(inline);
      }
    }
  });
  observer.observe(document.documentElement, {childList: true, subtree: true});
  document.addEventListener("DOMContentLoaded", () => {
    observer.disconnect();
    document.querySelectorAll("track").forEach(inline);
  });
}

// Chapter links: without this script they go to the scene's own video further down the page.
// With it they seek the lecture video to the chapter, where the host allows that: seeking needs
// HTTP byte ranges (every real static host answers them; `python -m http.server` does not).
// Where it cannot seek, the link is left to do what it does without the script, and the
// scene's own video plays from its start: the same content, no wrong time.
const TOLERANCE = 0.5; // seconds: a seek that lands further away than this has failed

function canSeek(video, time) {
  const ranges = video.seekable;
  for (let i = 0; i < ranges.length; i += 1) {
    if (ranges.start(i) <= time && time <= ranges.end(i)) return true;
  }
  return false;
}

function after(target, event, milliseconds) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), milliseconds);
    target.addEventListener(event, () => { clearTimeout(timer); resolve(true); }, {once: true});
  });
}

function playScene(link, lecture) {
  lecture.pause();
  const section = document.getElementById(link.hash.slice(1));
  const video = section && section.querySelector("video");
  if (!video) return;
  video.currentTime = 0;
  // A browser may refuse to start playback; the page is at the scene all the same.
  video.play().catch(() => {});
}

async function seekOrFallBack(link, video, start) {
  if (video.readyState < HTMLMediaElement.HAVE_METADATA) {
    await after(video, "loadedmetadata", 5000);
  }
  if (canSeek(video, start)) {
    video.currentTime = start;
    await after(video, "seeked", 5000);
    if (Math.abs(video.currentTime - start) < TOLERANCE) {
      video.play().catch(() => {});
      return;
    }
  }
  // The script held the link back, so follow it now.
  location.hash = link.hash;
  playScene(link, video);
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-start]");
  const video = link && document.getElementById(link.dataset.video);
  if (!video || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
  const start = Number(link.dataset.start);
  if (video.readyState >= HTMLMediaElement.HAVE_METADATA && !canSeek(video, start)) {
    // Known now: let the link go to the scene, and play it there.
    playScene(link, video);
    return;
  }
  event.preventDefault();
  seekOrFallBack(link, video, start);
});

// The chapter that is playing is marked (aria-current), for screen readers and the eye.
document.addEventListener("DOMContentLoaded", () => {
  for (const video of document.querySelectorAll("video")) {
    const links = document.querySelectorAll(`a[data-video="${video.id}"]`);
    if (!links.length) continue;
    video.addEventListener("timeupdate", () => {
      for (const link of links) {
        const playing =
          video.currentTime >= Number(link.dataset.start) &&
          video.currentTime < Number(link.dataset.end);
        if (playing) link.setAttribute("aria-current", "true");
        else link.removeAttribute("aria-current");
      }
    });
  }
});

// Audio description (extended description, WCAG 1.2.7): with the toggle on, each cue of the
// video's kind="descriptions" track is read aloud (speechSynthesis) while the video waits, then
// it plays on. Where the browser has no speech, or its synthesiser never starts (no voice
// installed), the text is shown, announced to screen readers, for as long as reading it takes.
const READING_MS_PER_CHARACTER = 60;
const READING_MIN_MS = 2500;

function readingTime(text) {
  return Math.max(READING_MIN_MS, text.length * READING_MS_PER_CHARACTER);
}

function audioDescription(button) {
  const video = document.getElementById(button.dataset.describes);
  const element = video && video.querySelector('track[kind="descriptions"]');
  if (!element) return;
  const box = button.parentElement;
  const shown = box.querySelector(".description-now");
  const track = element.track;
  const speech =
    "speechSynthesis" in window && typeof SpeechSynthesisUtterance === "function"
      ? window.speechSynthesis : null;
  if (!speech) shown.setAttribute("aria-live", "polite");
  const wired = new WeakSet();
  let on = false;
  let holding = null; // the description being said: {resume, timers}

  function stop(resume) {
    if (!holding) return;
    const held = holding;
    holding = null;
    held.timers.forEach(clearTimeout);
    if (speech) speech.cancel();
    shown.hidden = true;
    shown.textContent = "";
    video.removeAttribute("data-describing");
    if (resume && held.resume) video.play().catch(() => {});
  }

  function say(cue) {
    if (!on) return;
    stop(false);
    // The cue's text as WebVTT reads it (&lt; and &amp; decoded), never as markup.
    const text = cue.getCueAsHTML().textContent;
    const held = {resume: !video.paused, timers: []};
    holding = held;
    video.pause();
    video.setAttribute("data-describing", "");
    shown.textContent = text;
    shown.hidden = false;
    const done = () => { if (holding === held) stop(true); };
    const reading = readingTime(text);
    if (!speech) {
      held.timers.push(setTimeout(done, reading));
      return;
    }
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = track.language || document.documentElement.lang;
    const began = performance.now();
    let fellBack = false;
    // No voice: the text stays on screen for the rest of its reading time instead.
    const fallBack = () => {
      if (holding !== held || fellBack) return;
      fellBack = true;
      const left = reading - (performance.now() - began);
      held.timers.push(setTimeout(done, Math.max(0, left)));
    };
    // An utterance over in a fraction of its reading time was not said (a synthesiser without
    // voices ends, or fails, at once).
    utterance.addEventListener("end", () => {
      if (performance.now() - began < 0.3 * reading) fallBack();
      else done();
    });
    utterance.addEventListener("error", fallBack);
    speech.cancel();
    speech.speak(utterance);
    // A synthesiser that has not started within a second will not.
    held.timers.push(setTimeout(() => { if (!speech.speaking) fallBack(); }, 1000));
    held.timers.push(setTimeout(done, 3 * reading + 5000)); // never wait for ever
  }

  function wire() {
    for (const cue of Array.from(track.cues || [])) {
      if (wired.has(cue)) continue;
      wired.add(cue);
      cue.addEventListener("enter", () => say(cue));
    }
  }

  element.addEventListener("load", wire);
  // Played by the viewer while a description is being said: it gives way. (A "play" event
  // queued before the description paused the video arrives with the video paused: not that.)
  video.addEventListener("play", () => { if (!video.paused) stop(false); });
  button.addEventListener("click", () => {
    on = !on;
    button.setAttribute("aria-pressed", String(on));
    track.mode = on ? "hidden" : "disabled";
    if (on) wire();
    else stop(true);
  });
  box.hidden = false;
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("button[data-describes]").forEach(audioDescription);
});
