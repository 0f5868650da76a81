// The draft checker: sends the draft to POST /v1/analyse (session cookie + CSRF token) as the user types
// (debounced) or drops a file, and shows the server-rendered, highlighted feedback. No libraries.
(function () {
  "use strict";
  var DEBOUNCE_MS = 800;
  var form = document.getElementById("draft-form");
  var textarea = document.getElementById("draft-text");
  var fileInput = document.getElementById("draft-file");
  var drop = document.getElementById("drop");
  var slot = document.getElementById("feedback");
  var status = document.getElementById("status");
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var downloadButton = document.getElementById("download-comments");
  var wordFile = null;   // the Word file last checked: "Download with comments" sends it back commented
  var timer = null;
  var inFlight = null;   // AbortController of the request in flight: a newer check cancels it
  var lastSent = null;   // what the last check was for, so unchanged drafts are not re-sent
  // The record this page saves into: unset until the first save, then every save is a new version of it.
  // Automatic re-checks never save, so typing does not fill the records with one-version drafts.
  var savedId = null;
  var savedText = null;
  var saveButton = document.getElementById("save-draft");

  function say(message, bad) {
    status.textContent = message;
    status.className = "status" + (bad ? " bad" : "");
  }

  function options() {
    // The form's metadata fields, without the empty ones (the server reads them from the text).
    var out = {};
    ["doc_type", "child_name", "child_age", "date"].forEach(function (name) {
      var v = form.elements[name].value.trim();
      if (v) out[name] = name === "child_age" ? Number(v) : v;
    });
    return out;
  }

  function send(body, isForm) {
    if (inFlight) inFlight.abort();
    var controller = new AbortController();
    inFlight = controller;
    var started = performance.now();
    var headers = { "Accept": "text/html", "X-CSRF-Token": csrf };
    if (!isForm) headers["Content-Type"] = "application/json";
    say("Checking…");
    slot.setAttribute("aria-busy", "true");
    return fetch("/v1/analyse", {
      method: "POST", body: body, headers: headers, credentials: "same-origin", signal: controller.signal
    }).then(function (response) {
      if (response.status === 401) { window.location = "/login?next=/"; return null; }
      if (!response.ok) {
        return response.json().catch(function () { return {}; }).then(function (problem) {
          throw new Error(problem.detail || ("The check failed (" + response.status + ")."));
        });
      }
      return response.text();
    }).then(function (html) {
      if (html === null || controller !== inFlight) return null;
      slot.innerHTML = html;
      var seconds = ((performance.now() - started) / 1000).toFixed(1);
      var feedback = slot.querySelector(".feedback");
      var words = feedback ? feedback.getAttribute("data-words") : "?";
      var saved = feedback && feedback.getAttribute("data-saved-version");
      if (saved) {
        savedId = feedback.getAttribute("data-record-id");
        say("Saved to your records as " + savedId + ", version " + saved + ".");
      } else {
        say("Checked " + words + " words in " + seconds + " s" + (savedId ? unsavedNote() : "."));
      }
      return slot;
    }).catch(function (error) {
      if (error.name === "AbortError") return null;
      say(error.message, true);
      return null;
    }).finally(function () {
      if (controller === inFlight) { inFlight = null; slot.setAttribute("aria-busy", "false"); }
    });
  }

  function unsavedNote() {
    return textarea.value === savedText ? "; saved as " + savedId + "." : "; changes not saved yet (" + savedId + ").";
  }

  function save() {
    // An explicit save: the current text, checked once more and stored; the same record id after the first.
    clearTimeout(timer);
    var text = textarea.value;
    if (!text.trim()) { say("Nothing to save yet: paste or type a draft.", true); return; }
    var body = Object.assign({ text: text }, options(), { store: true, store_text: form.elements.store_text.checked });
    if (savedId) body.id = savedId;
    lastSent = JSON.stringify(Object.assign({ text: text }, options()));
    send(JSON.stringify(body), false).then(function (done) { if (done) savedText = text; });
  }

  function offerDownload(file) {
    // Only a Word file can carry comments; edited text no longer matches the file, so the offer ends.
    wordFile = file && /\.docx$/i.test(file.name) ? file : null;
    downloadButton.hidden = wordFile === null;
  }

  function downloadWithComments() {
    if (!wordFile) return;
    var data = new FormData();
    data.append("file", wordFile, wordFile.name);
    var opts = options();
    delete opts.store; delete opts.store_text;  // the check was saved already, if asked
    Object.keys(opts).forEach(function (k) { data.append(k, String(opts[k])); });
    say("Writing the comments into " + wordFile.name + "…");
    fetch("/v1/analyse?annotate=docx", {
      method: "POST", body: data, headers: { "X-CSRF-Token": csrf }, credentials: "same-origin"
    }).then(function (response) {
      if (response.status === 401) { window.location = "/login?next=/"; return null; }
      if (!response.ok) {
        return response.json().catch(function () { return {}; }).then(function (problem) {
          throw new Error(problem.detail || ("The download failed (" + response.status + ")."));
        });
      }
      var comments = response.headers.get("X-Caseqa-Comments");
      return response.blob().then(function (blob) {
        var link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = wordFile.name.replace(/\.docx$/i, "") + " - caseqa comments.docx";
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
        say("Downloaded " + link.download + (comments ? " (" + comments + " comments)." : "."));
      });
    }).catch(function (error) { say(error.message, true); });
  }

  function checkText() {
    var text = textarea.value;
    if (!text.trim()) { say("Start typing or paste a draft."); slot.innerHTML = ""; lastSent = null; return; }
    var body = JSON.stringify(Object.assign({ text: text }, options()));
    if (body === lastSent) return;
    lastSent = body;
    send(body, false);
  }

  function checkFile(file) {
    var data = new FormData();
    data.append("file", file, file.name);
    var opts = options();
    Object.keys(opts).forEach(function (k) { data.append(k, String(opts[k])); });
    clearTimeout(timer);
    say("Reading " + file.name + "…");
    offerDownload(null);
    send(data, true).then(function (done) {
      if (done) offerDownload(file);
      // Put the file's extracted text in the box, so editing it re-checks as usual.
      var extracted = done && done.querySelector(".record-text");
      if (extracted) {
        textarea.value = extracted.textContent;
        lastSent = JSON.stringify(Object.assign({ text: textarea.value }, options()));
      }
    });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(checkText, DEBOUNCE_MS);
  }

  textarea.addEventListener("input", function () { offerDownload(null); schedule(); });
  downloadButton.addEventListener("click", downloadWithComments);
  form.addEventListener("change", function (event) {
    if (event.target !== fileInput && event.target !== textarea) schedule();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    lastSent = null;  // "Check now" always checks
    checkText();
  });
  saveButton.addEventListener("click", save);
  fileInput.addEventListener("change", function () {
    if (fileInput.files.length) checkFile(fileInput.files[0]);
    fileInput.value = "";
  });
  ["dragenter", "dragover"].forEach(function (type) {
    drop.addEventListener(type, function (event) { event.preventDefault(); drop.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (type) {
    drop.addEventListener(type, function () { drop.classList.remove("over"); });
  });
  drop.addEventListener("drop", function (event) {
    event.preventDefault();
    var files = event.dataTransfer && event.dataTransfer.files;
    if (files && files.length) checkFile(files[0]);
  });
  // Links in the findings panel move keyboard focus to the highlighted words, not just the scroll.
  slot.addEventListener("click", function (event) {
    var link = event.target.closest('a[href^="#f"]');
    if (!link) return;
    var anchor = document.getElementById(link.getAttribute("href").slice(1));
    var mark = anchor;
    while (mark && mark.tagName !== "MARK") mark = mark.nextElementSibling;
    if (mark) {
      event.preventDefault();
      mark.setAttribute("tabindex", "-1");
      mark.scrollIntoView({ block: "center", behavior: "smooth" });
      mark.focus({ preventScroll: true });
    }
  });
})();
