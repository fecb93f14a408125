// The "@" autocomplete of a report's comment box: after "@" and a few letters, the
// members whose handle or name starts so are offered; a click (or Enter) writes the
// handle. Event delegation, so it still works after htmx swaps the thread.
(function () {
  "use strict";
  const MENTION = /(^|[^\w@\/])@([\w.\-]*)$/u;
  let timer = null;

  function parts(textarea) {
    const before = textarea.value.slice(0, textarea.selectionStart);
    const match = before.match(MENTION);
    return match ? { prefix: match[2], start: before.length - match[2].length } : null;
  }

  function listOf(textarea) {
    const form = textarea.closest("[data-mentions-url]");
    return form ? [form, form.querySelector("[data-mention-list]")] : [null, null];
  }

  document.addEventListener("input", function (event) {
    const textarea = event.target;
    if (!textarea.matches || !textarea.matches("textarea[data-mentions]")) return;
    const [form, list] = listOf(textarea);
    if (!list) return;
    const found = parts(textarea);
    clearTimeout(timer);
    if (!found) { list.hidden = true; return; }
    timer = setTimeout(function () {
      const url = form.dataset.mentionsUrl + "?q=" + encodeURIComponent(found.prefix);
      fetch(url, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) { list.innerHTML = html; list.hidden = !html.trim(); });
    }, 150);
  });

  document.addEventListener("click", function (event) {
    const option = event.target.closest && event.target.closest("[data-mention-list] [data-handle]");
    if (!option) return;
    const form = option.closest("[data-mentions-url]");
    const textarea = form.querySelector("textarea[data-mentions]");
    const list = form.querySelector("[data-mention-list]");
    const found = parts(textarea);
    if (found) {
      const after = textarea.value.slice(textarea.selectionStart);
      const inserted = option.dataset.handle + " ";
      textarea.value = textarea.value.slice(0, found.start) + inserted + after;
      const caret = found.start + inserted.length;
      textarea.setSelectionRange(caret, caret);
    }
    list.hidden = true;
    textarea.focus();
  });

  document.addEventListener("keydown", function (event) {
    const textarea = event.target;
    if (!textarea.matches || !textarea.matches("textarea[data-mentions]")) return;
    const list = listOf(textarea)[1];
    if (!list || list.hidden) return;
    if (event.key === "Escape") { list.hidden = true; }
    if (event.key === "ArrowDown") {
      const first = list.querySelector("[data-handle]");
      if (first) { event.preventDefault(); first.focus(); }
    }
  });
})();
