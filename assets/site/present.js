// present.html and speaker.html: stepping the lecture beat by beat, and the speaker's notes.
// No inline code, no eval and no request outside the folder: it runs under a
// "default-src 'self'" content policy, from file:// and offline.
"use strict";

const DATA = JSON.parse(document.getElementById("beats").textContent);
// The words this script shows, in the page's language: the page's data-text (JSON), written by
// the export from the site's catalogue; "{name}" marks where a value goes.
const TEXT = JSON.parse(document.body.dataset.text || "{}");
function wording(key, values = {}) {
  const text = key in TEXT ? TEXT[key] : key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}
const BEATS = DATA.beats;
const FPS = DATA.fps || 30;
const FRAME = 1 / FPS;
// The two pages talk over this channel; a speaker window opened with S also has window.opener,
// which carries the same messages where a browser keeps file:// pages off each other's channels.
// A channel reaches every page of the origin: the name carries the export's digest of this
// lecture (DATA.channel) and the site's folder, so another course's lecture of the same name,
// on the same host, neither follows nor steps this one.
const SITE_FOLDER = location.pathname.slice(0, location.pathname.lastIndexOf("/") + 1);
const CHANNEL_NAME = `loss-scenes-presenter:${DATA.channel || DATA.lecture}:${SITE_FOLDER}`;

// postMessage reaches a page from any window that holds it (a page framing present.html on
// another site): only this page's own origin counts, and "null" only where that is the origin,
// a page opened from file://.
function trustedOrigin(origin) {
  if (origin === "null") return location.protocol === "file:";
  return origin === location.origin;
}

// Where a peer window may be: a page opened from file:// has no origin to name.
const PEER_ORIGIN = location.protocol === "file:" || location.origin === "null" ? "*" : location.origin;

function makeLink(onMessage) {
  const peers = [];
  const seen = new Set();
  const self = `${Date.now()}-${Math.random()}`;
  let sequence = 0;
  // A message may arrive both ways (channel and postMessage): act on it once.
  const receive = (message) => {
    if (!message || message.channel !== CHANNEL_NAME || seen.has(message.id)) return;
    seen.add(message.id);
    onMessage(message);
  };
  let channel = null;
  try {
    channel = new BroadcastChannel(CHANNEL_NAME);
    channel.onmessage = (event) => receive(event.data);
  } catch (error) {
    channel = null; // an old browser, or an opaque origin that may not have one
  }
  window.addEventListener("message", (event) => {
    if (trustedOrigin(event.origin)) receive(event.data);
  });
  return {
    addPeer(win) { if (win) peers.push(win); },
    send(message) {
      sequence += 1;
      const full = {...message, channel: CHANNEL_NAME, id: `${self}:${sequence}`};
      if (channel) channel.postMessage(full);
      for (const peer of peers) {
        try { if (!peer.closed) peer.postMessage(full, PEER_ORIGIN); } catch (error) { /* closed */ }
      }
    },
  };
}

function beatFromHash() {
  const number = Number.parseInt(location.hash.slice(1), 10);
  if (!Number.isFinite(number)) return 0;
  return Math.min(Math.max(number, 1), BEATS.length) - 1;
}

function clock(seconds) {
  const whole = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const secs = String(whole % 60).padStart(2, "0");
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${secs}` : `${minutes}:${secs}`;
}

// Keys of spec-v2 section 10; a focused button or link keeps Space and Enter for itself.
function keyAction(event) {
  if (event.altKey || event.ctrlKey || event.metaKey) return null;
  const onControl = event.target.closest && event.target.closest("button, a, input, select");
  switch (event.key) {
    case "ArrowRight": case "PageDown": return "next";
    case " ": return onControl ? null : "next";
    case "ArrowLeft": case "PageUp": return "previous";
    case "Home": return "first";
    case "End": return "last";
    case "f": case "F": return "fullscreen";
    case "s": case "S": return "speaker";
    case "c": case "C": return "captions";
    default: return null;
  }
}

// --- present.html ---------------------------------------------------------------------------

function presenter() {
  const video = document.getElementById("presenter-video");
  const bar = document.querySelector(".progress");
  const fill = bar.querySelector(".progress-fill");
  const status = document.querySelector(".status");
  const captionsButton = document.querySelector('[data-action="captions"]');
  const body = document.body;
  // The player's own controls are for the page without this script; here a click steps.
  video.removeAttribute("controls");
  video.tabIndex = -1;

  // `cursor` is the beat the next step plays: the video stands at that beat's start (which is
  // the previous beat's end); BEATS.length means the end of the lecture.
  let cursor = beatFromHash();
  let playing = false;
  let stopAt = null;
  let started = null; // when the talk began (the first step), for the speaker's clock
  let ready = false;
  let triedWholeFile = false;
  let seeksUnderway = 0; // the page says "seeking", not "ready", until the picture is in place
  const stops = []; // where each step's playback stopped before the snap: for tests, honest

  const link = makeLink(onMessage);

  function state() {
    return {type: "state", cursor, playing, started, count: BEATS.length};
  }

  function show() {
    const shown = Math.min(cursor, BEATS.length - 1);
    body.dataset.state =
      !ready ? "loading" : playing ? "playing" : seeksUnderway ? "seeking" : "ready";
    body.dataset.beat = String(cursor + 1);
    bar.setAttribute("aria-valuenow", String(shown + 1));
    bar.setAttribute(
      "aria-valuetext",
      cursor >= BEATS.length
        ? wording("endAfter", {count: BEATS.length})
        : wording("beatOf", {number: cursor + 1, count: BEATS.length}),
    );
    const hash = `#${shown + 1}`;
    if (location.hash !== hash) history.replaceState(null, "", hash);
    // On the last beat, the scenes' explorable pages (where the site has them).
    const explore = document.querySelector(".explore-links");
    if (explore) explore.hidden = cursor < BEATS.length - 1;
    link.send(state());
  }

  let notice = null;
  function notify(text, seconds = 8) {
    status.textContent = text;
    clearTimeout(notice);
    notice = setTimeout(() => { if (status.textContent === text) status.textContent = ""; }, seconds * 1000);
  }

  function canSeek(time) {
    const ranges = video.seekable;
    for (let i = 0; i < ranges.length; i += 1) {
      if (ranges.start(i) <= time + 0.001 && time - 0.001 <= ranges.end(i)) return true;
    }
    return false;
  }

  // A host without HTTP byte ranges (python -m http.server) cannot seek in a streamed video;
  // the whole file, fetched once and played from memory, can. A strict content policy may
  // refuse that too: then the presenter says so and still plays forward.
  // Whether the page's content policy lets a video play from a blob: URL (media-src, else
  // default-src, must name blob:; "*" does not cover it). Known before trying, from a <meta>
  // policy and the page's own header (a same-origin HEAD request), because the browser logs a
  // refused blob: as an error on the console.
  function policyAllowsBlobMedia(policy) {
    const directives = {};
    for (const part of policy.split(";")) {
      const [name, ...sources] = part.trim().split(/\s+/);
      if (name && !(name.toLowerCase() in directives)) directives[name.toLowerCase()] = sources;
    }
    const sources = directives["media-src"] || directives["default-src"];
    return !sources || sources.some((source) => source.toLowerCase() === "blob:");
  }

  async function blobMediaAllowed() {
    const policies = Array.from(
      document.querySelectorAll('meta[http-equiv="Content-Security-Policy" i]'),
      (meta) => meta.content,
    );
    try {
      const response = await fetch(location.href, {method: "HEAD", cache: "no-store"});
      await response.text(); // (empty) read to its end: an unread response is cancelled
      const header = response.headers.get("Content-Security-Policy");
      // Several policies arrive joined by commas; each must allow it.
      if (header) policies.push(...header.split(","));
    } catch (error) {
      // No answer: try, and fall back as below if the copy is refused.
    }
    return policies.every(policyAllowsBlobMedia);
  }

  async function playFromMemory() {
    if (triedWholeFile || location.protocol === "file:") return false;
    triedWholeFile = true;
    if (!(await blobMediaAllowed())) {
      notify(wording("noSeek"));
      return false;
    }
    status.textContent = wording("loadingWhole");
    const streamed = video.currentSrc;
    try {
      const response = await fetch(video.currentSrc);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const blob = await response.blob();
      const loaded = new Promise((resolve, reject) => {
        video.addEventListener("loadedmetadata", resolve, {once: true});
        video.addEventListener("error", reject, {once: true});
      });
      video.src = URL.createObjectURL(blob);
      await loaded;
      status.textContent = "";
      return true;
    } catch (error) {
      // A content policy without blob: media refuses the copy in memory: back to the stream.
      if (video.src !== streamed) {
        video.src = streamed;
        await new Promise((resolve) => {
          video.addEventListener("loadedmetadata", resolve, {once: true});
          setTimeout(resolve, 5000);
        });
      }
      // Said for a while, then cleared: a note that stayed would cover the picture all talk long.
      notify(wording("noSeek"));
      return false;
    }
  }

  function seek(time) {
    return new Promise((resolve) => {
      if (Math.abs(video.currentTime - time) < FRAME / 4) { resolve(true); return; }
      // Generous: on a busy machine a seek in a whole file held in memory can take seconds.
      const timer = setTimeout(() => resolve(false), 10000);
      video.addEventListener("seeked", () => { clearTimeout(timer); resolve(true); }, {once: true});
      video.currentTime = time;
    }).then(() => Math.abs(video.currentTime - time) < FRAME);
  }

  async function seekSafely(time) {
    if (!canSeek(time) || !(await seek(time))) {
      if (await playFromMemory()) return seek(time);
      return false;
    }
    return true;
  }

  // A seek that leaves the video standing: the page is "seeking" until it is done (loading the
  // whole file first can take seconds on a host without byte ranges).
  async function settle(time) {
    seeksUnderway += 1;
    show();
    try {
      return await seekSafely(time);
    } finally {
      seeksUnderway -= 1;
      show();
    }
  }

  // Where a finished beat rests: half a frame before its end, on its last frame.
  const restTime = (index) => Math.max(BEATS[index].start, BEATS[index].end - FRAME / 2);

  async function stand(index) {
    playing = false;
    stopAt = null;
    video.pause();
    cursor = Math.max(0, Math.min(index, BEATS.length));
    const time = cursor >= BEATS.length ? restTime(BEATS.length - 1) : BEATS[cursor].start;
    await settle(time);
  }

  function finish() {
    if (!playing) return;
    const index = cursor;
    stops.push(video.currentTime);
    video.pause();
    playing = false;
    stopAt = null;
    cursor = index + 1;
    // The pause lands on the frame being shown; the snap makes it exactly the beat's last one.
    settle(restTime(index));
  }

  // Checked on every frame the video presents (requestVideoFrameCallback), so playback stops
  // on the beat's last frame; where that API is missing, on every animation frame. A browser
  // runs neither for a hidden window: there the timeupdate check below stops it, less exactly,
  // and the snap in finish() still leaves the beat's last frame on screen.
  let step = 0; // each step's watcher stops when a newer step begins
  function watch(mine = step) {
    if (!playing || mine !== step) return;
    const reached = (time) => time >= stopAt - FRAME * 1.01;
    const check = (mediaTime) => {
      if (!playing || mine !== step) return;
      if (reached(mediaTime) || reached(video.currentTime)) finish();
      else watch(mine);
    };
    if (video.requestVideoFrameCallback) {
      video.requestVideoFrameCallback((now, frame) => check(frame.mediaTime));
    } else {
      requestAnimationFrame(() => check(video.currentTime));
    }
  }

  async function next() {
    if (!ready) return;
    if (playing) { // a second press skips to the end of the beat that is playing
      const index = cursor;
      playing = false;
      video.pause();
      cursor = index + 1;
      await settle(restTime(index));
      return;
    }
    if (cursor >= BEATS.length) return;
    const beat = BEATS[cursor];
    if (Math.abs(video.currentTime - beat.start) > FRAME) await settle(beat.start);
    if (started === null) started = Date.now();
    playing = true;
    stopAt = beat.end;
    step += 1;
    show();
    try {
      await video.play();
    } catch (error) {
      playing = false;
      status.textContent = wording("notStarted");
      show();
      return;
    }
    watch();
  }

  function toggleFullscreen() {
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    else document.documentElement.requestFullscreen().catch(() => {});
  }

  function toggleCaptions() {
    const track = video.textTracks[0];
    if (!track) return;
    track.mode = track.mode === "showing" ? "hidden" : "showing";
    captionsButton.setAttribute("aria-pressed", String(track.mode === "showing"));
  }

  let speakerWindow = null;
  function openSpeaker() {
    speakerWindow = window.open(
      `speaker.html#${Math.min(cursor, BEATS.length - 1) + 1}`,
      "loss-scenes-speaker",
      "popup,width=960,height=640",
    );
    link.addPeer(speakerWindow);
    setTimeout(() => link.send(state()), 500);
  }

  function act(action, beat) {
    switch (action) {
      case "next": next(); break;
      case "previous": stand(playing ? cursor : cursor - 1); break;
      case "first": stand(0); break;
      case "last": stand(BEATS.length); break;
      // A beat index from a message: 0 to BEATS.length (the end); anything else would make
      // the position NaN.
      case "goto":
        if (Number.isInteger(beat) && beat >= 0 && beat <= BEATS.length) stand(beat);
        break;
      case "fullscreen": toggleFullscreen(); break;
      case "speaker": openSpeaker(); break;
      case "captions": toggleCaptions(); break;
      case "reset-clock": started = playing || cursor > 0 ? Date.now() : null; show(); break;
      default: break;
    }
  }

  function onMessage(message) {
    if (message.type === "hello") link.send(state());
    else if (message.type === "command") act(message.action, message.beat);
  }

  document.addEventListener("keydown", (event) => {
    const action = keyAction(event);
    if (!action) return;
    event.preventDefault();
    act(action);
  });
  document.querySelector(".present-controls").addEventListener("click", (event) => {
    const control = event.target.closest("[data-action]");
    if (!control) return;
    event.preventDefault();
    act(control.dataset.action);
  });
  video.addEventListener("click", () => act("next"));
  video.addEventListener("timeupdate", () => {
    fill.style.width = `${(100 * video.currentTime) / (DATA.duration || video.duration || 1)}%`;
    // A safety net where frame callbacks lag (a busy machine): never run into the next beat.
    if (playing && stopAt !== null && video.currentTime >= stopAt) finish();
  });
  video.addEventListener("ended", () => { if (playing) finish(); });
  window.addEventListener("hashchange", () => {
    const wanted = beatFromHash();
    if (wanted !== Math.min(cursor, BEATS.length - 1)) stand(wanted);
  });
  for (const tick of bar.querySelectorAll(".tick")) {
    tick.style.left = `${(100 * Number(tick.dataset.start)) / (DATA.duration || 1)}%`;
  }

  async function begin() {
    ready = true;
    await stand(cursor);
  }
  if (video.readyState >= HTMLMediaElement.HAVE_METADATA) begin();
  else video.addEventListener("loadedmetadata", begin, {once: true});

  // For tests and the curious: where playback stopped before each snap.
  window.presenter = {stops, get cursor() { return cursor; }, get playing() { return playing; }};
}

// --- speaker.html ---------------------------------------------------------------------------

function speaker() {
  const body = document.body;
  const number = document.getElementById("beat-number");
  const elapsed = document.getElementById("elapsed");
  const linkState = document.getElementById("link-state");
  const parts = {
    nowTitle: document.getElementById("now-title"),
    nowText: document.getElementById("now-text"),
    nextTitle: document.getElementById("next-title"),
    nextText: document.getElementById("next-text"),
  };
  let started = null;
  let connected = false;
  const link = makeLink(onMessage);
  if (window.opener) link.addPeer(window.opener);

  function describe(index, title, text) {
    const beat = BEATS[index];
    title.textContent = beat ? wording("beatTitle", {number: beat.number, title: beat.title}) : wording("theEnd");
    text.textContent = beat ? beat.text || wording("noNarration") : "";
  }

  // "Now" is the beat on screen or about to play; "next" the one after it.
  function render(cursor, playing) {
    body.dataset.beat = String(cursor + 1);
    body.dataset.state = playing ? "playing" : "ready";
    number.textContent =
      cursor >= BEATS.length
        ? wording("endOf", {count: BEATS.length})
        : wording("beatOf", {number: cursor + 1, count: BEATS.length});
    describe(cursor, parts.nowTitle, parts.nowText);
    describe(cursor + 1, parts.nextTitle, parts.nextText);
  }

  function tick() {
    const seconds = started === null ? 0 : (Date.now() - started) / 1000;
    elapsed.textContent = clock(seconds);
    elapsed.setAttribute("datetime", `PT${Math.floor(seconds)}S`);
  }

  function onMessage(message) {
    if (message.type !== "state" || !Number.isInteger(message.cursor)) return;
    if (message.cursor < 0 || message.cursor > BEATS.length) return;
    if (!connected) {
      connected = true;
      linkState.textContent = wording("following");
    }
    started = message.started;
    render(message.cursor, message.playing);
    tick();
  }

  function send(action) {
    link.send({type: "command", action});
  }

  document.addEventListener("keydown", (event) => {
    const action = keyAction(event);
    if (!action || action === "speaker" || action === "captions") return;
    event.preventDefault();
    if (action === "fullscreen") {
      if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
      else document.documentElement.requestFullscreen().catch(() => {});
      return;
    }
    send(action);
  });
  document.querySelector(".present-controls").addEventListener("click", (event) => {
    const control = event.target.closest("[data-action]");
    if (control) send(control.dataset.action);
  });
  render(beatFromHash(), false);
  setInterval(tick, 1000);
  link.send({type: "hello"});
}

if (document.documentElement.classList.contains("speaker")) speaker();
else presenter();
