// Nichely pages: small progressive enhancements. Everything works without this file.
(function () {
  "use strict";

  function toast(text) {
    var box = document.getElementById("toast");
    if (!box || !text) return;
    box.textContent = text;
    box.hidden = false;
    clearTimeout(box._timer);
    box._timer = setTimeout(function () { box.hidden = true; }, 5000);
  }

  // htmx does not swap error responses; show their text instead of failing silently.
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var doc = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
    toast((doc.body && doc.body.textContent || "").trim() || xhr.statusText);
  });
  document.addEventListener("htmx:sendError", function () {
    toast(document.documentElement.lang.indexOf("zh") === 0 ? "网络连接失败" :
          document.documentElement.lang.indexOf("es") === 0 ? "No hay conexión" : "Network error");
  });

  // SKU picker: show the chosen option's price and stock next to the buy button.
  function showSku(form) {
    var chosen = form.querySelector("input[name=sku]:checked");
    var out = form.querySelector("[data-sku-summary]");
    if (!out) return;
    out.textContent = chosen ? chosen.dataset.price : "";
  }
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.name === "sku" && target.form) showSku(target.form);
    // Product picker on the note form: a ticked product moves to the kept list.
    if (target.hasAttribute && target.hasAttribute("data-pick") && target.checked) {
      var picked = document.getElementById("picked");
      var label = target.closest("label");
      if (picked && label) {
        target.removeAttribute("data-pick");
        picked.appendChild(label);
      }
    }
  });

  // Enter in the product finder searches instead of submitting the note form.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.id === "product-query") event.preventDefault();
  });

  // After sending a chat message, keep the log scrolled to the newest line.
  document.addEventListener("htmx:afterSwap", function () {
    var log = document.getElementById("chat-log");
    if (log) log.scrollTop = log.scrollHeight;
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("#sku-picker").forEach(showSku);
    var log = document.getElementById("chat-log");
    if (log) log.scrollTop = log.scrollHeight;
  });
})();
