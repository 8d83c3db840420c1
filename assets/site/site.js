// Chapter links: without scripts they jump to the scene's own video further down the page;
// with this script they seek the lecture video to the chapter instead, and mark the chapter
// that is playing.
"use strict";

document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-start]");
  const video = link && document.getElementById(link.dataset.video);
  if (!video) return;
  event.preventDefault();
  video.currentTime = Number(link.dataset.start);
  // A browser may refuse to start playback; the seek has happened all the same.
  video.play().catch(() => {});
});

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
