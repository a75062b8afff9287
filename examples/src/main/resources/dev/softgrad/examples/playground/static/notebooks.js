// Page 4: the notebooks' index, and one notebook run in the server's process.
"use strict";

function links(files) {
  return files.map(f => "<a href=\"" + f + "\" target=\"_blank\">" + f.substring(f.lastIndexOf("/") + 1) + "</a>").join(" ");
}

async function load() {
  let list;
  try {
    list = await api("notebooks");
  } catch (e) {
    showError(e.message);
    return;
  }
  let rows = "<tr><th style=\"text-align:left\">notebook</th><th style=\"text-align:left\">what it shows</th><th></th><th style=\"text-align:left\">report</th></tr>";
  for (const nb of list) {
    rows += "<tr id=\"nb-" + nb.name + "\"><td style=\"text-align:left\"><b>" + nb.name + "</b></td><td style=\"text-align:left\">" + nb.summary
        + "</td><td><button data-name=\"" + nb.name + "\">Run</button></td><td class=\"files\" style=\"text-align:left\">" + links(nb.files) + "</td></tr>";
  }
  document.getElementById("index").innerHTML = rows;
  for (const b of document.querySelectorAll("#index button")) b.addEventListener("click", () => run(b.dataset.name, b));
}

async function run(name, button) {
  for (const b of document.querySelectorAll("#index button")) b.disabled = true;
  document.getElementById("run-title").textContent = name + ": running...";
  document.getElementById("claims").innerHTML = "";
  showError("");
  try {
    const r = await api("notebooks/run", {name: name, quick: true});
    document.getElementById("run-title").innerHTML = name + ": <span id=\"verdict\" class=\"" + (r.ok ? "good" : "bad") + "\">"
        + (r.ok ? "every claim holds" : "a claim failed") + "</span> (" + r.seconds.toFixed(1) + " s)";
    const claims = r.claims || [];
    document.getElementById("claims").innerHTML = (r.error ? "<p class=\"bad\">" + r.error + "</p>" : "")
        + "<ul>" + claims.map(c => "<li class=\"claim " + (c.holds ? "good" : "bad") + "\">" + (c.holds ? "&#10003; " : "&#10007; ")
        + c.statement + " <span class=\"note\">(" + c.evidence + ")</span></li>").join("") + "</ul>";
    const out = document.getElementById("output");
    out.hidden = false;
    out.textContent = r.output;
    document.querySelector("#nb-" + name + " .files").innerHTML = links(r.files);
  } catch (e) {
    document.getElementById("run-title").textContent = name;
    showError(e.message);
  }
  for (const b of document.querySelectorAll("#index button")) b.disabled = false;
}

load();
