/* The phone's outbox: forms marked data-outbox (a hazard report, a patrol) are sent with
   fetch; without network they wait in IndexedDB (photos included) and are sent when the
   network is back. Each submission carries its own idempotency key (a hidden field
   data-idempotency-key), so the server stores it once however often it arrives.
   Also registers the service worker (/sw.js). No request leaves our own server. */
(function () {
  "use strict";
  var SC = window.SafeCommunity = window.SafeCommunity || {};
  var DB = "sc-outbox", STORE = "submissions", flushing = null;

  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = new Uint8Array(16); crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return ("0" + x.toString(16)).slice(-2); }).join("");
  }

  function db() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: "key" }); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function tx(mode, fn) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var t = d.transaction(STORE, mode), store = t.objectStore(STORE), out = fn(store);
        t.oncomplete = function () { d.close(); resolve(out && out.result !== undefined ? out.result : out); };
        t.onerror = function () { d.close(); reject(t.error); };
      });
    });
  }

  SC.outbox = {
    all: function () { return tx("readonly", function (s) { return s.getAll(); }); },
    put: function (rec) { return tx("readwrite", function (s) { s.put(rec); }); },
    remove: function (key) { return tx("readwrite", function (s) { s.delete(key); }); },

    /* Send one submission. Resolves {status, data}; rejects when there is no network. */
    send: function (rec) {
      var fd = new FormData();
      rec.entries.forEach(function (e) {
        if (e[1] instanceof Blob) { fd.append(e[0], e[1], e[2] || e[1].name || "photo.jpg"); }
        else { fd.append(e[0], e[1]); }
      });
      return fetch(rec.url, { method: "POST", body: fd, credentials: "same-origin",
                              headers: { "X-Outbox": "1", "Accept": "application/json" } })
        .then(function (res) {
          var json = (res.headers.get("Content-Type") || "").indexOf("application/json") === 0;
          return (json ? res.json() : Promise.resolve(null)).then(function (data) {
            return { status: res.status, data: data };
          });
        });
    },

    /* Send everything waiting, oldest first; stops at the first network failure. */
    flush: function () {
      if (flushing) { return flushing; }
      flushing = SC.outbox.all().then(function (recs) {
        recs.sort(function (a, b) { return a.created - b.created; });
        return recs.reduce(function (p, rec) {
          return p.then(function (go) {
            if (!go) { return false; }
            return SC.outbox.send(rec).then(function (r) {
              if (r.status >= 200 && r.status < 300 && r.data) { return SC.outbox.remove(rec.key).then(function () { return true; }); }
              if (r.status === 400 && r.data) {  // the server refused it: keep it, say why
                rec.errors = r.data.errors; return SC.outbox.put(rec).then(function () { return true; });
              }
              return false;  // signed out, server trouble: try again later
            }, function () { return false; });
          });
        }, Promise.resolve(true));
      }).then(SC.outbox.show, SC.outbox.show).then(function () { flushing = null; });
      return flushing;
    },

    /* The badge in the top bar and the outbox page's list. */
    show: function () {
      return SC.outbox.all().then(function (recs) {
        document.documentElement.setAttribute("data-outbox", String(recs.length));
        var badge = document.getElementById("sc-outbox-badge");
        if (badge) {
          badge.classList.toggle("d-none", !recs.length);
          badge.querySelector("span").textContent = String(recs.length);
        }
        var list = document.getElementById("sc-outbox-list");
        if (list) { SC.outbox.render(list, recs); }
      });
    },

    render: function (list, recs) {
      var tpl = document.getElementById("sc-outbox-row");
      list.innerHTML = "";
      document.getElementById("sc-outbox-empty").classList.toggle("d-none", recs.length > 0);
      recs.forEach(function (rec) {
        var row = tpl.content.firstElementChild.cloneNode(true);
        row.querySelector("[data-title]").textContent = rec.title;
        row.querySelector("[data-when]").textContent = new Date(rec.created).toLocaleString();
        row.querySelector("[data-photos]").textContent = String(rec.entries.filter(function (e) { return e[1] instanceof Blob; }).length);
        var errs = [];
        Object.keys(rec.errors || {}).forEach(function (k) { errs = errs.concat(rec.errors[k]); });
        row.querySelector("[data-errors]").textContent = errs.join(" ");
        row.querySelector("[data-remove]").addEventListener("click", function () {
          if (window.confirm(row.querySelector("[data-remove]").getAttribute("data-confirm-text"))) {
            SC.outbox.remove(rec.key).then(SC.outbox.show);
          }
        });
        list.appendChild(row);
      });
    }
  };

  function fillKeys(root) {
    (root || document).querySelectorAll("input[data-idempotency-key]").forEach(function (el) {
      if (!el.value) { el.value = newKey(); }
    });
  }

  function queue(form) {
    var entries = [];
    new FormData(form).forEach(function (value, name) {
      if (value instanceof File) {
        if (value.size) { entries.push([name, value, value.name]); }
      } else { entries.push([name, value]); }
    });
    var key = (form.querySelector("input[data-idempotency-key]") || {}).value || newKey();
    return { key: key, url: form.action || window.location.href, title: form.getAttribute("data-outbox") || document.title,
             created: Date.now(), entries: entries };
  }

  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (ev.defaultPrevented || !form.hasAttribute || !form.hasAttribute("data-outbox")) { return; }
    ev.preventDefault();
    var rec = queue(form), button = form.querySelector("[type=submit]");
    if (button) { button.disabled = true; }
    function keep() {
      return SC.outbox.put(rec).then(function () {
        var note = document.querySelector("[data-outbox-queued]");
        if (note) { note.classList.remove("d-none"); }
        form.setAttribute("data-queued", rec.key);
        return SC.outbox.show();
      });
    }
    SC.outbox.send(rec).then(function (r) {
      if (r.status >= 200 && r.status < 300 && r.data && r.data.url) { window.location.assign(r.data.url); return; }
      // Refused, or not signed in any more: the ordinary post shows the page with its messages.
      HTMLFormElement.prototype.submit.call(form);
    }, function () { keep().then(function () {
      if (button) { button.disabled = false; }
      form.reset();  // ready for the next report, with a key of its own
      form.querySelectorAll("input[data-idempotency-key]").forEach(function (el) { el.value = newKey(); });
    }); });
  });

  window.addEventListener("online", function () { SC.outbox.flush(); });
  document.addEventListener("DOMContentLoaded", function () {
    // Signed out (no menu on the page): forget the pages kept for use without network, so the
    // next person on this phone does not see them; the product's own assets stay.
    if (!document.getElementById("sc-menu") && window.caches) {
      caches.keys().then(function (keys) {
        keys.filter(function (k) { return k.indexOf("sc-") === 0; }).forEach(function (k) {
          caches.open(k).then(function (c) {
            c.keys().then(function (reqs) {
              reqs.forEach(function (r) { if (new URL(r.url).pathname.indexOf("/static/") !== 0) { c.delete(r); } });
            });
          });
        });
      });
    }
    fillKeys();
    if (window.indexedDB) { SC.outbox.flush(); }
    var again = document.getElementById("sc-outbox-send");
    if (again) { again.addEventListener("click", function () { SC.outbox.flush(); }); }
  });
  if ("serviceWorker" in navigator && window.isSecureContext) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
    });
  }
})();
