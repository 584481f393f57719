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
    var stock = form.querySelector("[data-sku-stock]");
    if (out) out.textContent = chosen ? chosen.dataset.price : "";
    if (stock) stock.textContent = chosen ? chosen.dataset.stockLabel || "" : "";
    var buy = form.querySelector("button[type=submit]");
    if (buy && form.classList.contains("sku-enhanced")) buy.disabled = !chosen;
  }

  // With one selector per attribute (size, width, colour...) instead of a chip per SKU. Selectors
  // narrow from the first: a value is disabled when no in-stock SKU has it together with the
  // values chosen above it, so every available combination stays reachable.
  function skusOf(form) {
    return Array.prototype.map.call(form.querySelectorAll("input[name=sku]"), function (radio) {
      return { radio: radio, attrs: JSON.parse(radio.dataset.attrs || "{}"), stock: Number(radio.dataset.stock) };
    });
  }
  function valueOf(sku, name) {
    return sku.attrs[name] === undefined ? "" : String(sku.attrs[name]);
  }
  function fits(sku, wanted) {
    return Object.keys(wanted).every(function (name) { return valueOf(sku, name) === wanted[name]; });
  }
  function narrowSelects(form) {
    var skus = skusOf(form);
    var wanted = {};
    form.querySelectorAll("select[data-option]").forEach(function (select) {
      var name = select.dataset.option;
      Array.prototype.forEach.call(select.options, function (option) {
        var trial = Object.assign({}, wanted);
        trial[name] = option.value;
        option.disabled = !skus.some(function (s) { return s.stock > 0 && fits(s, trial); });
      });
      if (select.selectedOptions[0] && select.selectedOptions[0].disabled) {
        var open = Array.prototype.find.call(select.options, function (o) { return !o.disabled; });
        if (open) select.value = open.value;
      }
      wanted[name] = select.value;
    });
    skus.forEach(function (s) { s.radio.checked = s.stock > 0 && fits(s, wanted); });
    showSku(form);
  }
  function enhanceSkuPicker(form) {
    var box = form.querySelector("[data-sku-selects]");
    if (!box) return showSku(form);
    var chosen = form.querySelector("input[name=sku]:checked");
    if (chosen) {
      var attrs = JSON.parse(chosen.dataset.attrs || "{}");
      box.querySelectorAll("select[data-option]").forEach(function (select) {
        var name = select.dataset.option;
        select.value = attrs[name] === undefined ? "" : String(attrs[name]);
      });
    }
    box.hidden = false;
    form.classList.add("sku-enhanced");
    narrowSelects(form);
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.name === "sku" && target.form) showSku(target.form);
    if (target.dataset && target.dataset.option !== undefined && target.form) narrowSelects(target.form);
    // Product picker on the note form: a ticked product moves to the kept list.
    if (target.hasAttribute && target.hasAttribute("data-pick") && target.checked) {
      var picked = document.getElementById("picked");
      // A storefront's row carries its pitch along with the checkbox.
      var row = target.closest("[data-pick-row]") || target.closest("label");
      if (picked && row) {
        target.removeAttribute("data-pick");
        picked.appendChild(row);
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

  // Search results: tell the search log which result was opened (it feeds click-through and ranking).
  document.addEventListener("click", function (event) {
    var holder = event.target.closest && event.target.closest("[data-search-id]");
    var link = event.target.closest && event.target.closest("a");
    if (!holder || !link || !holder.dataset.searchId) return;
    var headers = { "content-type": "application/json" };
    try { Object.assign(headers, JSON.parse(document.body.getAttribute("hx-headers") || "{}")); } catch (e) { /* no token */ }
    fetch("/api/v1/search/" + holder.dataset.searchId + "/click", {
      method: "POST", headers: headers, keepalive: true, credentials: "same-origin",
      body: JSON.stringify({
        target_type: holder.dataset.targetType,
        target_id: Number(holder.dataset.targetId),
        position: Number(holder.dataset.position)
      })
    }).catch(function () { /* a lost click is not worth an error */ });
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("#sku-picker").forEach(enhanceSkuPicker);
    var log = document.getElementById("chat-log");
    if (log) log.scrollTop = log.scrollHeight;
  });
})();
