// vanban review page: the index of letters (filters, accent-insensitive search), one letter at
// a time loaded from its own file, next/previous, and what a highlight is and which rules made it.
// Data comes from <script> files beside the page (review_files/), so it works from file://.
// Every string a reader sees is in the messages object below, in English (strict JSON between
// `/* messages */` and the closing brace): scripts/messages.py extracts it into the gettext
// catalog, and review.py writes the page with the object in the run's language.
const VANBAN_MESSAGES = /* messages */ {
  "stats": "{docs} letters · {tasks} tasks · {warnings} with warnings · {unknown} with unknown agencies · {notasks} without tasks",
  "stats_gold": " · {gold} with gold, {diffs} differences",
  "filters": "Show only letters:",
  "filter_warnings": "with warnings",
  "filter_unknown": "with unknown agencies",
  "filter_notasks": "without tasks",
  "filter_diffs": "with differences from gold",
  "search_placeholder": "Search number, text, agencies, tasks",
  "shown": "showing {n} of {total}",
  "searching_text": "(text of {loaded} of {total} letters searched so far)",
  "no_match": "No letter matches.",
  "no_letters": "No letters in this run.",
  "loading_index": "Loading the index of letters…",
  "loading": "Loading the letter…",
  "load_failed": "Could not load {file}. Keep the folder {folder} beside the page, as `vanban review` wrote it.",
  "to_list": "☰ List",
  "prev": "‹ Previous",
  "next": "Next ›",
  "prev_hint": "Previous letter (p)",
  "next_hint": "Next letter (n)",
  "position": "{k} of {n}",
  "position_hidden": "not in the list shown",
  "no_number": "(no number)",
  "row_tasks": "{n} tasks",
  "row_warnings": "⚠ {n}",
  "row_diffs": "≠ {n}",
  "row_duplicate": "copy",
  "none": "—",
  "field_number": "number",
  "field_issuer": "issuer",
  "field_parent_issuer": "parent issuer",
  "field_doc_type": "type",
  "field_subject": "subject",
  "field_place": "place",
  "field_issued_date": "date",
  "field_recipients": "recipients",
  "field_signer_name": "signer",
  "field_signer_title": "signer's title",
  "field_references": "references",
  "field_source": "source",
  "field_duplicate_of": "copy of",
  "source_pages": "{n} pages",
  "source_ocr": "OCR",
  "duplicate_of": "A copy of {path}: the same letter, counted once.",
  "copies": "Also in: {paths} (the same letter, counted once).",
  "tasks_heading": "Tasks ({n})",
  "no_tasks": "No tasks extracted.",
  "no_deadline": "no deadline",
  "task_part": "in:",
  "task_lead": "lead:",
  "task_coordinate": "coordinate:",
  "task_report_to": "report to:",
  "lead_default": "(the letter's default lead)",
  "gold_ok": "Agrees with gold.",
  "gold_diffs": "{n} difference(s) from gold",
  "gold_field": "field",
  "gold_expected": "gold",
  "gold_got": "record",
  "kind_task": "task",
  "kind_number": "number",
  "kind_doc_type": "type",
  "kind_subject": "subject",
  "kind_place": "place",
  "kind_issued_date": "date",
  "kind_issuer": "issuer",
  "kind_recipient": "recipient",
  "kind_signer": "signer",
  "kind_lead": "lead",
  "kind_coordinate": "coordinate",
  "kind_report_to": "report to",
  "kind_deadline": "deadline",
  "role_number": "number: {value}",
  "role_doc_type": "type: {value}",
  "role_subject": "subject: {value}",
  "role_place": "place: {value}",
  "role_issued_date": "date: {value}",
  "role_issuer": "issuer: {value}",
  "role_recipient": "recipient: {value}",
  "role_signer": "signer: {value}",
  "role_task": "task {label}",
  "role_lead": "lead of task {label}: {value}",
  "role_coordinate": "coordinate of task {label}: {value}",
  "role_report_to": "report to, of task {label}: {value}",
  "role_deadline": "deadline of task {label}: {value}",
  "page_image": "Page {n} of the source file",
  "pages_not_found": "No page image: {path} was not there when the page was written.",
  "pages_changed": "No page image: {path} has changed since it was read.",
  "pages_failed": "No page image: {path} could not be drawn.",
  "explain_rules": "Rules that decided it:",
  "explain_no_rules": "No rule of the guideline is recorded for it: it is read from the letter's header.",
  "explain_unknown": "The agency registry does not know this body.",
  "close": "Close"
};

(function () {
  "use strict";
  const M = VANBAN_MESSAGES;
  const ROW = 62; // px: the height of a row of the index (a.row in review.css)
  const CACHE = 60; // letters kept in memory

  function t(key, params) {
    let s = M[key] === undefined ? key : M[key];
    for (const [k, v] of Object.entries(params || {})) s = s.split("{" + k + "}").join(String(v));
    return s;
  }
  function localize(root) {
    root.querySelectorAll("[data-msg]").forEach((el) => (el.textContent = t(el.dataset.msg, el.dataset)));
    root.querySelectorAll("[data-placeholder]").forEach((el) => (el.placeholder = t(el.dataset.placeholder)));
  }
  // As review.py's fold(): lower case, accents and the bar of đ dropped, spaces collapsed.
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d")
      .toLowerCase().replace(/\s+/g, " ").trim();
  }
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  const body = document.body;
  const folder = body.dataset.folder;
  const $ = (id) => document.getElementById(id);
  const list = $("list");
  const spacer = list.firstElementChild;
  const search = $("search");
  const shownLine = $("shown");
  const pane = $("letter");
  const explain = $("explain");
  const boxes = Array.from(document.querySelectorAll("input.filter"));
  const C = {}; // index column -> position in a row
  let rows = [];
  let keys = [];
  let texts = [];
  let loaded = 0; // letters whose folded text has arrived
  let shown = []; // the letters that pass the filters and the search, in order
  let last = { query: null }; // the previous search, to narrow it as the query grows
  let current = -1;
  const cache = new Map();
  const pending = new Set();

  const tests = {
    warnings: (r) => r[C.warnings] > 0,
    unknown: (r) => r[C.unknown] > 0,
    notasks: (r) => r[C.tasks] === 0,
    diffs: (r) => r[C.diffs] > 0,
  };

  function matches(i, query) {
    return keys[i].includes(query) || (texts[i] !== undefined && texts[i].includes(query));
  }

  // A letter is shown when it passes every ticked filter and holds the query, folded as its
  // text is (`tai chinh` finds `Tài chính`), in its text or among its number, subject,
  // file name and agencies.
  function apply() {
    const query = fold(search.value);
    const active = boxes.filter((b) => b.checked).map((b) => tests[b.dataset.filter]);
    const filters = boxes.map((b) => (b.checked ? 1 : 0)).join("");
    // A query that extends the last one finds a part of what it found: look only there.
    const narrow = last.query !== null && filters === last.filters && loaded === last.loaded &&
      query.startsWith(last.query);
    const hits = [];
    if (narrow) {
      for (const i of last.hits) if (matches(i, query)) hits.push(i);
    } else {
      for (let i = 0; i < rows.length; i++) {
        if (active.every((f) => f(rows[i])) && (!query || matches(i, query))) hits.push(i);
      }
    }
    last = { query, filters, loaded, hits };
    shown = hits;
    let line = t("shown", { n: hits.length, total: rows.length });
    if (query && loaded < rows.length) line += " " + t("searching_text", { loaded, total: rows.length });
    shownLine.textContent = line;
    spacer.style.height = Math.max(1, hits.length) * ROW + "px";
    list.scrollTop = 0;
    renderRows();
    pager();
  }

  function rowElement(i, k) {
    const r = rows[i];
    const a = el("a", "row" + (i === current ? " current" : ""));
    a.href = "#l" + i;
    a.dataset.i = i;
    a.setAttribute("role", "listitem");
    a.style.top = k * ROW + "px";
    const first = el("span", "line");
    first.append(el("b", "num", r[C.number] || t("no_number")));
    if (r[C.issued_date]) first.append(" · " + r[C.issued_date]);
    const badges = el("span", "badges");
    badges.append(el("span", "badge tasks", t("row_tasks", { n: r[C.tasks] })));
    if (r[C.warnings]) badges.append(el("span", "badge warn", t("row_warnings", { n: r[C.warnings] })));
    if (r[C.diffs] > 0) badges.append(el("span", "badge diff", t("row_diffs", { n: r[C.diffs] })));
    if (r[C.duplicate]) badges.append(el("span", "badge dup", t("row_duplicate")));
    a.append(badges, first);
    a.append(el("span", "line issuer", [r[C.doc_type], r[C.issuer]].filter(Boolean).join(" · ") || "—"));
    a.append(el("span", "line subject", r[C.subject] || r[C.path]));
    return a;
  }

  // Only the rows in view exist: ten thousand letters cost what thirty do.
  function renderRows() {
    if (!shown.length) {
      spacer.replaceChildren(el("p", "none", t(rows.length ? "no_match" : "no_letters")));
      return;
    }
    const top = list.scrollTop;
    const height = list.clientHeight || window.innerHeight;
    const from = Math.max(0, Math.floor(top / ROW) - 4);
    const to = Math.min(shown.length, Math.ceil((top + height) / ROW) + 4);
    const out = [];
    for (let k = from; k < to; k++) out.push(rowElement(shown[k], k));
    spacer.replaceChildren(...out);
  }
  let scrolling = false;
  list.addEventListener("scroll", () => {
    if (scrolling) return;
    scrolling = true;
    requestAnimationFrame(() => {
      scrolling = false;
      renderRows();
    });
  });

  // The next (+1) or previous (-1) letter of the list shown; -1 when there is none.
  function neighbour(step) {
    const k = shown.indexOf(current);
    if (k >= 0) return shown[k + step] === undefined ? -1 : shown[k + step];
    // The open letter is filtered out: the nearest shown one that way.
    if (step > 0) return shown.find((i) => i > current) ?? -1;
    for (let j = shown.length - 1; j >= 0; j--) if (shown[j] < current) return shown[j];
    return -1;
  }
  function pager() {
    const k = shown.indexOf(current);
    $("position").textContent =
      current < 0 ? "" : k >= 0 ? t("position", { k: k + 1, n: shown.length }) : t("position_hidden");
    $("prev").disabled = neighbour(-1) < 0;
    $("next").disabled = neighbour(+1) < 0;
  }
  function go(i) {
    if (i < 0) return;
    if (location.hash === "#l" + i) open(i);
    else location.hash = "#l" + i;
  }
  function fromHash() {
    const m = /^#l(\d+)$/.exec(location.hash);
    if (!m || Number(m[1]) >= rows.length) return false;
    body.classList.add("reading");
    open(Number(m[1]));
    return true;
  }

  function file(i) {
    return folder + "letters/" + String(i).padStart(6, "0") + ".js";
  }
  function load(i) {
    if (cache.has(i) || pending.has(i)) return;
    pending.add(i);
    const s = document.createElement("script");
    s.src = file(i);
    s.onload = () => {
      s.remove();
      pending.delete(i);
    };
    s.onerror = () => {
      s.remove();
      pending.delete(i);
      if (i === current) failed(file(i));
    };
    document.head.append(s);
  }
  function failed(name) {
    pane.replaceChildren(el("p", "failed", t("load_failed", { file: decodeURI(name), folder: decodeURI(folder) })));
  }
  function open(i) {
    current = i;
    hideExplain();
    list.querySelectorAll("a.row").forEach((a) => a.classList.toggle("current", Number(a.dataset.i) === i));
    pager();
    const data = cache.get(i);
    if (data) show(i, data);
    else {
      pane.replaceChildren(el("p", "none", t("loading")));
      load(i);
    }
  }
  // A highlight's info, from its letter's file: [kind, unknown, roles, rule numbers].
  function describe(info) {
    return info[2].map(([role, label, value]) => t("role_" + role, { label, value }));
  }
  function show(i, data) {
    pane.innerHTML = data.html; // made by review.py, which escapes every value of the record
    localize(pane);
    for (const img of pane.querySelectorAll("img[data-page]")) {
      img.alt = t("page_image", { n: img.dataset.n });
      img.src = folder + "pages/" + encodeURIComponent(img.dataset.page);
    }
    for (const m of pane.querySelectorAll("mark[data-sid]")) {
      const info = data.info[m.dataset.sid];
      if (info) m.title = describe(info).join("\n");
    }
    // Letters saved from web pages open with boilerplate: start each text at its first span.
    const pre = pane.querySelector("pre.text");
    const mark = pre && pre.querySelector("mark");
    if (mark) pre.scrollTop = Math.max(0, mark.offsetTop - 24); // the pre is the offset parent
    body.dataset.letter = i;
    performance.mark("vanban-letter-shown");
    const next = neighbour(+1);
    if (next >= 0) load(next); // the likely next click, ready before it
  }

  // A click on a highlight says what it is and which rules made it: the mark clicked and
  // the marks around it (a lead inside its task).
  function explainAt(target) {
    const data = cache.get(current);
    if (!data) return;
    const parts = [];
    const seen = new Set();
    for (let m = target.closest("mark[data-sid]"); m; m = m.parentElement.closest("mark[data-sid]")) {
      const sid = m.dataset.sid;
      const info = data.info[sid];
      if (!info || seen.has(sid)) continue;
      seen.add(sid);
      const part = el("section", "what");
      part.dataset.sid = sid;
      part.dataset.kind = info[0];
      for (const line of describe(info)) part.append(el("h4", "field", line));
      if (info[1]) part.append(el("p", "unknown-note", t("explain_unknown")));
      if (info[3].length) {
        part.append(el("p", "rules-head", t("explain_rules")));
        const ul = el("ul", "rules");
        for (const r of info[3]) ul.append(el("li", "", data.rules[r]));
        part.append(ul);
      } else part.append(el("p", "none", t("explain_no_rules")));
      parts.push(part);
    }
    if (!parts.length) return;
    const close = el("button", "close", t("close"));
    close.type = "button";
    close.addEventListener("click", hideExplain);
    explain.replaceChildren(close, ...parts);
    explain.hidden = false;
  }
  function hideExplain() {
    explain.hidden = true;
    explain.replaceChildren();
  }

  function flash(sid) {
    const first = document.getElementById(sid);
    if (!first) return;
    first.scrollIntoView({ block: "center" });
    document.querySelectorAll('mark[data-sid="' + sid + '"]').forEach((m) => {
      m.classList.remove("flash");
      void m.offsetWidth; // restarts the animation
      m.classList.add("flash");
    });
  }
  document.addEventListener("click", (e) => {
    const link = e.target.closest("a.goto");
    if (link) return flash(link.dataset.goto);
    if (e.target.closest("pre.text mark[data-sid]")) explainAt(e.target);
  });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape") return hideExplain();
    if (e.target.closest("input, textarea, select") || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "n" || e.key === "j") go(neighbour(+1));
    if (e.key === "p" || e.key === "k") go(neighbour(-1));
  });
  $("prev").addEventListener("click", () => go(neighbour(-1)));
  $("next").addEventListener("click", () => go(neighbour(+1)));
  $("prev").title = t("prev_hint");
  $("next").title = t("next_hint");
  $("to-list").addEventListener("click", () => {
    body.classList.remove("reading");
    const k = shown.indexOf(current);
    if (k >= 0) list.scrollTop = Math.max(0, k * ROW - list.clientHeight / 2);
  });
  window.addEventListener("hashchange", fromHash);
  boxes.forEach((b) => b.addEventListener("change", apply));
  search.addEventListener("input", apply);
  document.querySelectorAll(".legend input").forEach((i) =>
    i.addEventListener("change", () => body.classList.toggle("hide-" + i.dataset.kind, !i.checked))
  );
  localize(document.body);

  // The folded text of the letters arrives in chunks after the index is shown.
  let chunk = 500;
  function loadText(n) {
    if (n * chunk >= rows.length) {
      body.dataset.text = "all";
      return;
    }
    const s = document.createElement("script");
    s.src = folder + "text/" + String(n).padStart(4, "0") + ".js";
    s.onload = () => s.remove();
    s.onerror = () => s.remove(); // search goes on over numbers, subjects and agencies
    document.head.append(s);
  }

  window.vanban = {
    index(data) {
      performance.mark("vanban-index-arrived"); // for benchmarks/bench_review.py
      data.columns.forEach((c, k) => (C[c] = k));
      rows = data.rows;
      keys = data.keys;
      chunk = data.chunk;
      texts = new Array(rows.length);
      $("stats").textContent = t("stats", data.stats) + (data.gold ? t("stats_gold", data.stats) : "");
      if (!data.gold) document.querySelectorAll(".needs-gold").forEach((e) => e.remove());
      boxes.splice(0, boxes.length, ...document.querySelectorAll("input.filter"));
      apply();
      if (!fromHash() && shown.length) open(shown[0]);
      if (!rows.length) pane.replaceChildren(el("p", "none", t("no_letters")));
      body.dataset.ready = "index";
      performance.mark("vanban-index-shown");
      setTimeout(() => loadText(0), 0);
    },
    text(start, folded) {
      for (let k = 0; k < folded.length; k++) texts[start + k] = folded[k];
      loaded += folded.length;
      if (search.value.trim()) apply();
      loadText(Math.floor(start / chunk) + 1);
    },
    letter(i, data) {
      cache.set(i, data);
      if (cache.size > CACHE) cache.delete(cache.keys().next().value);
      if (i === current) show(i, data);
    },
  };
  window.addEventListener("load", () => {
    if (body.dataset.ready !== "index") failed(folder + "index.js");
  });
})();
