/*
 * Site search with Pagefind, in the header's search box (partials/search.html).
 *
 * Nothing is fetched until the reader focuses the box or opens it with the
 * magnifier button. Then pagefind.js loads its small entry file and WebAssembly,
 * and each query fetches only the index chunks for its words and one fragment
 * per result shown, so a search costs a few hundred KB on any size of site.
 * Result markup comes from the <template id="hy-search-item"> in the partial;
 * what the index holds is inserted as text, never as HTML (see fillExcerpt).
 */
(function () {
  "use strict";

  var PAGE_SIZE = 10;
  var box = document.querySelector(".hy-search");
  var toggle = document.getElementById("__search");
  if (!box || !toggle) return;
  var input = box.querySelector("input[type=search]");
  var form = box.querySelector("form");
  var meta = box.querySelector(".md-search-result__meta");
  var list = box.querySelector(".md-search-result__list");
  var more = box.querySelector(".hy-search-more");
  var itemTemplate = document.getElementById("hy-search-item");

  var pagefind = null;  // a promise of the Pagefind module, once asked for
  var results = [];     // results of the current query, not yet all shown
  var shown = 0;

  function load() {
    if (!pagefind) {
      var bundle = new URL(box.dataset.hySearchBundle, location.href).href;
      var root = new URL(box.dataset.hySearchRoot, location.href).pathname;
      pagefind = import(bundle + "pagefind.js").then(function (module) {
        return module.options({ baseUrl: root, excerptLength: 40 }).then(function () {
          module.init();
          return mergeShards(module, bundle, root);
        });
      });
      pagefind.catch(function () { say("failed"); pagefind = null; });
    }
    return pagefind;
  }

  // A large site's index is written in shards (core/search.py); merge the others into the first.
  function mergeShards(module, bundle, root) {
    return fetch(bundle + "huiyin-shards.json").then(function (response) {
      return response.ok ? response.json() : { shards: [] };
    }).catch(function () { return { shards: [] }; }).then(function (manifest) {
      return Promise.all((manifest.shards || []).map(function (folder) {
        return module.mergeIndex(bundle + folder, { baseUrl: root });
      }));
    }).then(function () { return module; });
  }

  function say(state, count) {
    meta.textContent = meta.dataset[state].replace("{n}", String(count));
  }

  function plain(text) {
    return (text || "").replace(/\u200b/g, "");  // Pagefind's segmentation marks
  }

  // Pagefind's excerpt is the page's text with <mark> around the words found,
  // and with some characters written as HTML entities (&gt;). Split on the
  // marks, turn each piece back into the text it stands for in an inert
  // document (DOMParser runs no script and loads nothing), and insert it as
  // text: a title such as "<img onerror=…>" then reads on screen exactly as
  // on its page, and never becomes an element.
  var inert = new DOMParser();
  function asText(fragment) {
    return inert.parseFromString(fragment, "text/html").body.textContent || "";
  }

  function fillExcerpt(target, excerpt) {
    var marked = false;
    (excerpt || "").split(/(<mark>|<\/mark>)/).forEach(function (part) {
      if (part === "<mark>") { marked = true; return; }
      if (part === "</mark>") { marked = false; return; }
      if (!part) return;
      var text = document.createTextNode(plain(asText(part)));
      if (marked) {
        var mark = document.createElement("mark");
        mark.appendChild(text);
        target.appendChild(mark);
      } else {
        target.appendChild(text);
      }
    });
  }

  function render(data) {
    var item = itemTemplate.content.firstElementChild.cloneNode(true);
    item.querySelector("a").href = data.url;
    item.querySelector(".hy-search-title").textContent = plain(data.meta && data.meta.title) || data.url;
    fillExcerpt(item.querySelector(".hy-search-excerpt"), data.excerpt);
    return item;
  }

  function showMore() {
    var next = results.slice(shown, shown + PAGE_SIZE);
    shown += next.length;
    more.hidden = shown >= results.length;
    return Promise.all(next.map(function (result) { return result.data(); })).then(function (pages) {
      pages.forEach(function (data) { list.appendChild(render(data)); });
    });
  }

  function clear() {
    results = [];
    shown = 0;
    list.textContent = "";
    more.hidden = true;
  }

  function search() {
    var term = input.value.trim();
    if (!term) { clear(); say("idle"); return; }
    say("loading");
    load().then(function (module) {
      return module.debouncedSearch(term, {}, 250);
    }).then(function (found) {
      if (found === null || input.value.trim() !== term) return;  // a newer query is on its way
      clear();
      results = found.results;
      if (!results.length) { say("none"); return; }
      say("count", results.length);
      return showMore();
    }).catch(function () { say("failed"); });
  }

  // Setting .checked fires no event; announcing it lets Material's own watchers of the toggle
  // run as for a tap on its label: on a phone it locks the page behind the full-screen dialog
  // (body[data-md-scrolllock]), else the page could be pushed 870 px sideways under it.
  function setOpen(on) {
    if (toggle.checked === on) return;
    toggle.checked = on;
    toggle.dispatchEvent(new Event("change"));
  }

  function open() {
    setOpen(true);
    load();
  }

  function close() {
    setOpen(false);
    input.blur();
  }

  input.addEventListener("focus", open);
  input.addEventListener("input", search);
  more.addEventListener("click", function () { showMore(); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector("a");
    if (first) location.href = first.href;
  });
  form.addEventListener("reset", function () {
    clear();
    say("idle");
    input.focus();
  });
  toggle.addEventListener("change", function () {
    if (toggle.checked) { load(); input.focus(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toggle.checked) close();
  });
  // A link such as /sessions/?q=停车 (the tags page uses them) opens the search with that query.
  var asked = new URLSearchParams(location.search).get("q");
  if (asked) {
    input.value = asked;
    setOpen(true);
    search();
  }
  // The magnifier is a <button> (partials/search.html): it opens the dialog.
  var button = document.querySelector(".hy-search-open");
  if (button) {
    button.addEventListener("click", function () { open(); input.focus(); });
  }
})();
