/* Words that viewflow's widgets write in English without asking gettext: the date picker's
   "cancel" and "ok" and the list's "Search..." label. They are put through Django's JavaScript
   catalog (/jsi18n/, loaded before this file) as soon as a widget renders them, on the first
   page and on every page Turbo brings in. */
(function () {
  "use strict";
  if (typeof window.gettext !== "function") {
    return;
  }
  var FIXED = [
    { selector: ".vf-calendar__actions .mdc-button__label", words: ["cancel", "ok"] },
    { selector: "#id_page_search_label", words: ["Search..."] },
  ];

  function localise(root) {
    FIXED.forEach(function (fixed) {
      root.querySelectorAll(fixed.selector).forEach(function (element) {
        var text = element.textContent.trim();
        if (fixed.words.indexOf(text) !== -1) {
          element.textContent = window.gettext(text);
        }
      });
    });
  }

  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      change.addedNodes.forEach(function (node) {
        if (node.nodeType === Node.ELEMENT_NODE) {
          localise(node.parentNode || node);
        }
      });
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", function () {
    localise(document);
  });
})();
