// vanban review page: filters, search, click-to-span, and showing or hiding kinds of highlight.
(function () {
  "use strict";
  const docs = Array.from(document.querySelectorAll("article.doc"));
  const boxes = Array.from(document.querySelectorAll("input.filter"));
  const search = document.getElementById("search");
  const shown = document.getElementById("shown");
  const tests = {
    warnings: (d) => Number(d.dataset.warnings) > 0,
    unknown: (d) => Number(d.dataset.unknown) > 0,
    notasks: (d) => Number(d.dataset.tasks) === 0,
    diffs: (d) => Number(d.dataset.diffs) > 0,
  };

  // A document is shown when it passes every ticked filter and the search text.
  function apply() {
    const active = boxes.filter((b) => b.checked).map((b) => tests[b.dataset.filter]);
    const query = search.value.trim().toLowerCase();
    let n = 0;
    for (const d of docs) {
      const ok = active.every((t) => t(d)) && (!query || d.dataset.search.includes(query));
      d.hidden = !ok;
      if (ok) n += 1;
    }
    shown.textContent = "showing " + n + " of " + docs.length;
  }

  boxes.forEach((b) => b.addEventListener("change", apply));
  search.addEventListener("input", apply);

  // A field on the right scrolls the text to the span it was read from and flashes it.
  document.addEventListener("click", (e) => {
    const link = e.target.closest("a.goto");
    if (!link) return;
    const sid = link.dataset.goto;
    const first = document.getElementById(sid);
    if (!first) return;
    first.scrollIntoView({ block: "center" });
    document.querySelectorAll('mark[data-sid="' + sid + '"]').forEach((m) => {
      m.classList.remove("flash");
      void m.offsetWidth; // restarts the animation
      m.classList.add("flash");
    });
  });

  document.querySelectorAll(".legend input").forEach((i) =>
    i.addEventListener("change", () =>
      document.body.classList.toggle("hide-" + i.dataset.kind, !i.checked)
    )
  );
  // Letters saved from web pages open with boilerplate: start each text at its first span.
  document.querySelectorAll("pre.text").forEach((pre) => {
    const mark = pre.querySelector("mark");
    if (mark) pre.scrollTop = Math.max(0, mark.offsetTop - 24); // the pre is the offset parent
  });
  apply();
})();
