/*
 * 长辈版 (elder mode, MIIT's 适老化 rules): bigger text, bigger tap targets and
 * stronger contrast, all in huiyin.css under html.hy-elder.
 *
 * The switch is the header's button (partials/header.html), hidden until this
 * script shows it: without JavaScript the site stays in the default mode and
 * shows no switch that does nothing. The choice is remembered in localStorage
 * and applied by this file from <head> (not deferred: 1 KB), so that the next
 * page is drawn in elder mode from its first paint, with no flash of small text.
 * No inline script: a Content-Security-Policy without 'unsafe-inline' allows it.
 */
(function () {
  "use strict";

  var KEY = "huiyin.elder";
  var root = document.documentElement;

  function remembered() {
    try { return window.localStorage.getItem(KEY) === "on"; } catch (error) { return false; }
  }

  function remember(on) {
    try {
      if (on) window.localStorage.setItem(KEY, "on");
      else window.localStorage.removeItem(KEY);
    } catch (error) { /* storage off (private mode): the choice holds for this page only */ }
  }

  function show(on) {
    root.classList.toggle("hy-elder", on);
    var buttons = document.querySelectorAll(".hy-elder-toggle");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", on ? "true" : "false");
      buttons[i].hidden = false;
    }
  }

  show(remembered());
  document.addEventListener("DOMContentLoaded", function () {
    show(root.classList.contains("hy-elder"));
    document.addEventListener("click", function (event) {
      var button = event.target instanceof Element && event.target.closest(".hy-elder-toggle");
      if (!button) return;
      var on = !root.classList.contains("hy-elder");
      remember(on);
      show(on);
    });
  });
})();
