// Page 4: the notebooks' index with their report pages, and one notebook run in the server's process,
// its output streamed line by line, its report page shown when it ends.
"use strict";

function links(files) {
  return files.map(f => "<a href=\"" + f + "\" target=\"_blank\">" + f.substring(f.lastIndexOf("/") + 1) + "</a>").join(" ");
}

/** The index row's report cell: the report page (opened here, below) and the other files. */
function reportCell(nb) {
  const others = nb.files.filter(f => f !== nb.report);
  return (nb.report ? "<a class=\"report\" href=\"" + nb.report + "\" data-name=\"" + nb.name + "\">report</a> " : "<span class=\"note\">not run yet</span> ")
      + "<span class=\"note\">" + links(others) + "</span>";
}

function showReport(name, url) {
  document.getElementById("report-title").textContent = "report of " + name;
  document.getElementById("report-open").innerHTML = "<a href=\"" + url + "\" target=\"_blank\">open in its own tab</a>";
  const frame = document.getElementById("report");
  frame.hidden = false;
  frame.src = url;
}

function wireReports(root) {
  for (const a of root.querySelectorAll("a.report")) {
    a.addEventListener("click", e => { e.preventDefault(); showReport(a.dataset.name, a.getAttribute("href")); });
  }
}

async function load() {
  let r;
  try {
    r = await api("notebooks");
  } catch (e) {
    showError(e.message);
    return;
  }
  document.getElementById("all-reports").innerHTML = r.index
      ? "<a href=\"" + r.index + "\" target=\"_blank\">every report in the output folder (index.html)</a>" : "";
  let rows = "<tr><th style=\"text-align:left\">notebook</th><th style=\"text-align:left\">what it shows</th><th></th><th style=\"text-align:left\">report</th></tr>";
  for (const nb of r.notebooks) {
    rows += "<tr id=\"nb-" + nb.name + "\"><td style=\"text-align:left\"><b>" + nb.name + "</b></td><td style=\"text-align:left\">" + nb.summary
        + "</td><td><button data-name=\"" + nb.name + "\">Run</button></td><td class=\"files\" style=\"text-align:left\">" + reportCell(nb) + "</td></tr>";
  }
  const table = document.getElementById("index");
  table.innerHTML = rows;
  wireReports(table);
  for (const b of document.querySelectorAll("#index button")) b.addEventListener("click", () => run(b.dataset.name));
}

function run(name) {
  for (const b of document.querySelectorAll("#index button")) b.disabled = true;
  document.getElementById("run-title").textContent = name + ": running...";
  document.getElementById("claims").innerHTML = "";
  const out = document.getElementById("output");
  out.hidden = false;
  out.textContent = "";
  showError("");
  const source = new EventSource("/api/notebooks/run?" + new URLSearchParams({name: name, quick: true}).toString());
  let lines = 0;
  const done = () => {
    source.close();
    for (const b of document.querySelectorAll("#index button")) b.disabled = false;
  };
  source.addEventListener("line", e => {
    out.textContent += JSON.parse(e.data).text + "\n";
    out.scrollTop = out.scrollHeight;
    document.getElementById("run-title").textContent = name + ": running... (" + (++lines) + " lines)";
  });
  source.addEventListener("end", e => {
    const r = JSON.parse(e.data);
    document.getElementById("run-title").innerHTML = name + ": <span id=\"verdict\" class=\"" + (r.ok ? "good" : "bad") + "\">"
        + (r.ok ? "every claim holds" : "a claim failed") + "</span> (" + r.seconds.toFixed(1) + " s)";
    const claims = r.claims || [];
    document.getElementById("claims").innerHTML = (r.error ? "<p class=\"bad\">" + r.error + "</p>" : "")
        + "<ul>" + claims.map(c => "<li class=\"claim " + (c.holds ? "good" : "bad") + "\">" + (c.holds ? "&#10003; " : "&#10007; ")
        + c.statement + " <span class=\"note\">(" + c.evidence + ")</span></li>").join("") + "</ul>";
    const cell = document.querySelector("#nb-" + name + " .files");
    cell.innerHTML = reportCell(r);
    wireReports(cell);
    if (r.report) showReport(name, r.report);
    if (!document.getElementById("all-reports").innerHTML) load();
    done();
  });
  source.addEventListener("error", e => {
    if (e.data) {
      showError(name + ": " + JSON.parse(e.data).message);
    } else if (lines === 0) {
      refusedStream(source);
    }
    document.getElementById("run-title").textContent = name;
    done();
  });
}

load();
