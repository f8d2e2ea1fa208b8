// Counts what a student plays of a video on this server: each stretch played is sent (from, to, duration
// in seconds) every few seconds, on pause and on leaving; the server keeps their union, and once enough
// of the video was played it marks the learning object used and sends the "used" box as it now reads.
(function () {
  "use strict";
  var SEND_EVERY = 10; // seconds of playing

  function bind(video) {
    if (video.dataset.watchBound) return;
    video.dataset.watchBound = "1";
    var url = video.dataset.watchUrl;
    var start = null; // where the stretch now playing began
    var last = null; // where it has reached

    function token() {
      var field = document.querySelector("input[name=csrfmiddlewaretoken]");
      return field ? field.value : "";
    }

    function send(keepalive) {
      if (start === null || last === null || last - start < 0.5 || !isFinite(video.duration)) return;
      var body = new URLSearchParams({ from: start.toFixed(2), to: last.toFixed(2), duration: video.duration.toFixed(2) });
      start = last;
      fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        keepalive: !!keepalive,
        headers: { "X-CSRFToken": token() },
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (answer) { if (answer) show(answer); })
        .catch(function () { /* offline: the stretch is played again, or said later */ });
    }

    function show(answer) {
      var share = document.getElementById("watched-share");
      var meter = document.getElementById("watched-meter");
      if (share) share.textContent = answer.watched + " %";
      if (meter) meter.value = answer.watched;
      if (answer.html) {
        var box = document.getElementById("used");
        if (box) {
          box.innerHTML = answer.html;
          if (window.htmx) window.htmx.process(box);
        }
        delete video.dataset.watchUrl;
        start = last = null;
        url = null;
      }
    }

    video.addEventListener("playing", function () { start = last = video.currentTime; });
    video.addEventListener("timeupdate", function () {
      if (!url || start === null || video.paused || video.seeking) return;
      var now = video.currentTime;
      if (now < last || now - last > 2) { // a jump, not playing: what lies between was not watched
        send(false);
        start = now;
      }
      last = now;
      if (last - start >= SEND_EVERY) send(false);
    });
    video.addEventListener("seeking", function () { if (url) send(false); start = last = null; });
    video.addEventListener("seeked", function () { if (!video.paused) start = last = video.currentTime; });
    video.addEventListener("pause", function () { if (url) send(false); });
    video.addEventListener("ended", function () { if (url) { last = video.duration; send(false); } });
    document.addEventListener("visibilitychange", function () {
      if (url && document.visibilityState === "hidden") send(true);
    });
  }

  function scan(root) {
    var found = (root || document).querySelectorAll("video[data-watch-url]");
    for (var i = 0; i < found.length; i++) bind(found[i]);
  }

  document.addEventListener("DOMContentLoaded", function () { scan(document); });
  document.addEventListener("htmx:load", function (event) { scan(event.target); });
})();
