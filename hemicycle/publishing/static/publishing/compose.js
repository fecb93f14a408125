// Live length counters of the post form, counting as each network does (the same rules
// as hemicycle/publishing/limits.py): Mastodon links weigh 23; Bluesky counts graphemes;
// X weighs links 23, Latin characters 1 and others (CJK, emoji) 2.
(function () {
  "use strict";
  var URL_RE = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]'»]/g;
  var segmenter = window.Intl && Intl.Segmenter ? new Intl.Segmenter("fr", {granularity: "grapheme"}) : null;

  function clusters(text) {
    return segmenter ? Array.from(segmenter.segment(text), function (s) { return s.segment; }) : Array.from(text);
  }
  function light(code) {
    return (code <= 4351) || (code >= 8192 && code <= 8205) || (code >= 8208 && code <= 8223) || (code >= 8242 && code <= 8247);
  }
  function measure(kind, text) {
    if (kind === "bluesky") return clusters(text).length;
    if (kind === "mastodon" || kind === "x") {
      var urls = (text.match(URL_RE) || []).length;
      var rest = text.replace(URL_RE, "");
      if (kind === "mastodon") return Array.from(rest).length + 23 * urls;
      return clusters(rest).reduce(function (sum, c) {
        return sum + (Array.from(c).length === 1 && light(c.codePointAt(0)) ? 1 : 2);
      }, 0) + 23 * urls;
    }
    return text.length;
  }
  function update(area, body) {
    var counter = document.querySelector('[data-counter-for="' + area.id + '"]');
    if (!counter) return;
    var text = area.value.trim() ? area.value : (body ? body.value : "");
    var length = measure(area.dataset.counter, text);
    var limit = parseInt(area.dataset.limit || "0", 10);
    counter.querySelector(".count").textContent = length;
    counter.classList.toggle("over", limit > 0 && length > limit);
  }
  function init() {
    var body = document.getElementById("id_body");
    var areas = document.querySelectorAll("textarea[data-counter]");
    areas.forEach(function (area) {
      area.placeholder = area.placeholder || (body ? body.placeholder : "");
      area.addEventListener("input", function () { update(area, body); });
      update(area, body);
    });
    if (body) body.addEventListener("input", function () { areas.forEach(function (a) { update(a, body); }); });
  }
  document.readyState === "loading" ? document.addEventListener("DOMContentLoaded", init) : init();
})();
