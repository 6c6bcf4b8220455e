// Live countdown to the moment the join link appears; reloads the page then.
// The time left comes from the server, so a phone whose clock is wrong still
// counts right; the page reloads at most once per countdown, never sooner than
// a few seconds after it loaded. Without JavaScript the page still says when
// to come back.
document.querySelectorAll("[data-seconds-left]").forEach(function (element) {
  var loadedAt = performance.now();
  var secondsLeft = parseInt(element.dataset.secondsLeft, 10) || 0;
  function pad(number) { return number < 10 ? "0" + number : String(number); }
  function tick() {
    var elapsed = (performance.now() - loadedAt) / 1000;
    var left = Math.max(0, Math.round(secondsLeft - elapsed));
    var days = Math.floor(left / 86400), hours = Math.floor((left % 86400) / 3600);
    var minutes = Math.floor((left % 3600) / 60);
    element.textContent = element.dataset.label + " " + (days ? days + " " + element.dataset.days + " " : "") +
      hours + ":" + pad(minutes) + ":" + pad(left % 60);
    if (left <= 0) {
      setTimeout(function () { window.location.reload(); }, Math.max(1000, 5000 - elapsed * 1000));
      return;
    }
    setTimeout(tick, 1000);
  }
  tick();
});
